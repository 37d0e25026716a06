// On phones the sidebar is hidden: its private threads and "New room" fold out under the header.
import { createSignal, onCleanup, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';
import { NewRoom } from './new-room.tsx';
import { PrivateList } from './private-list.tsx';

const PHONE = '(max-width: 720px)';

export function PhoneExtras(props: { chat: Chat }) {
  const query = window.matchMedia(PHONE);
  const [phone, setPhone] = createSignal(query.matches);
  const change = () => setPhone(query.matches);
  query.addEventListener('change', change);
  onCleanup(() => query.removeEventListener('change', change));
  const unread = () => props.chat.snapshot().private.threads.reduce((n, t) => n + t.unread, 0);
  return (
    <Show when={phone()}>
      <details class="panel phone-extras">
        <summary>Private messages{unread() > 0 ? ` (${unread()} unread)` : ''} and new rooms</summary>
        <PrivateList chat={props.chat} />
        <NewRoom chat={props.chat} />
      </details>
    </Show>
  );
}

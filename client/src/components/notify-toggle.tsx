// Turns browser notifications for mentions on or off (the browser asks for permission first).
import { Match, Switch } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';

export function NotifyToggle(props: { chat: Chat }) {
  return (
    <Switch>
      <Match when={props.chat.notifyState() === 'blocked'}>
        <span class="notify-note">Notifications are blocked in this browser's site settings.</span>
      </Match>
      <Match when={props.chat.notifyState() !== 'unsupported'}>
        <button type="button" class="link-button notify-toggle" aria-pressed={props.chat.notifyState() === 'on'} onClick={() => void props.chat.toggleNotify()}>
          {props.chat.notifyState() === 'on' ? 'Mention notifications on' : 'Notify me of mentions'}
        </button>
      </Match>
    </Switch>
  );
}

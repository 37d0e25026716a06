// Passcode rooms: the form that asks for the passcode when this browser has no grant for the
// room, and a short note while inside one.
import { createSignal, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';

export function RoomGate(props: { chat: Chat }) {
  const [passcode, setPasscode] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!passcode()) return;
    setProblem((await props.chat.enterPasscode(passcode())) ?? '');
    setPasscode('');
  };
  const room = () => props.chat.snapshot().room;
  return (
    <>
      <Show when={props.chat.snapshot().needsPasscode}>
        <form class="panel passcode-gate" onSubmit={(e) => void submit(e)}>
          <h2><span aria-hidden="true">🔒 </span>#{room()} needs a passcode</h2>
          <p>Ask whoever made the room for it. Only people with the passcode can read or write here.</p>
          <label>
            Passcode{' '}
            <input type="password" autocomplete="off" maxLength={64} value={passcode()} onInput={(e) => setPasscode(e.currentTarget.value)} />
          </label>{' '}
          <button type="submit" class="send" disabled={passcode().length === 0}>Enter</button>
          <Show when={problem()}>
            <p class="removal-error" role="alert">{problem()}</p>
          </Show>
        </form>
      </Show>
      <Show when={props.chat.snapshot().locked}>
        <p class="locked-note"><span aria-hidden="true">🔒 </span>A passcode room: only people with the passcode can read it. It is not listed anywhere.</p>
      </Show>
    </>
  );
}

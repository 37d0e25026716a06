// Opening a room of your own from the sidebar: a name (a new one becomes a room when someone
// writes in it) and, if given, a passcode that only people you tell can use to enter.
import { createSignal, Show } from 'solid-js';
import { isValidRoom } from '@anime-universe/protocol';
import type { Chat } from '../state/create-chat.ts';

export function NewRoom(props: { chat: Chat }) {
  const [open, setOpen] = createSignal(false);
  const [name, setName] = createSignal('');
  const [passcode, setPasscode] = createSignal('');
  const [problem, setProblem] = createSignal('');
  const slug = () => name().trim().toLowerCase().replace(/\s+/g, '-');
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!isValidRoom(slug())) return void setProblem('Room names are lowercase letters, digits and dashes (at most 32).');
    const problem = passcode() ? await props.chat.createRoom(slug(), passcode()) : (props.chat.switchRoom(slug()), undefined);
    setProblem(problem ?? '');
    if (!problem) {
      setOpen(false);
      setName('');
      setPasscode('');
    }
  };
  return (
    <div class="new-room">
      <Show when={open()} fallback={<button type="button" class="link-button" onClick={() => setOpen(true)}>+ New room</button>}>
        <form onSubmit={(e) => void submit(e)}>
          <label>Room name <input value={name()} maxLength={32} onInput={(e) => setName(e.currentTarget.value)} placeholder="my-watch-party" /></label>
          <label>Passcode (optional) <input type="password" autocomplete="new-password" maxLength={64} value={passcode()} onInput={(e) => setPasscode(e.currentTarget.value)} /></label>
          <div class="new-room-actions">
            <button type="submit" class="send" disabled={!name().trim()}>{passcode() ? 'Create locked room' : 'Open room'}</button>
            <button type="button" class="link-button" onClick={() => setOpen(false)}>Cancel</button>
          </div>
          <Show when={problem()}>
            <p class="removal-error" role="alert">{problem()}</p>
          </Show>
        </form>
      </Show>
    </div>
  );
}

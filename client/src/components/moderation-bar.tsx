// Moderator sign-in for this browser: a token from MODERATOR_TOKENS, kept in localStorage, that
// lets this browser remove any message. Also where a failed removal is explained.
import { createSignal, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';

export function ModerationBar(props: { chat: Chat }) {
  const [open, setOpen] = createSignal(false);
  const [token, setToken] = createSignal('');
  const submit = (e: Event) => {
    e.preventDefault();
    if (!token().trim()) return;
    props.chat.signInModerator(token());
    setToken('');
    setOpen(false);
  };
  return (
    <div class="moderation">
      <Show when={props.chat.notice()}>
        {(n) => (
          <p class={n().error ? 'removal-error' : 'moderation-note'} role={n().error ? 'alert' : 'status'}>{n().text}</p>
        )}
      </Show>
      <Show
        when={props.chat.moderator()}
        fallback={
          <Show when={open()} fallback={<button type="button" class="link-button" onClick={() => setOpen(true)}>Moderator sign-in</button>}>
            <form class="search-form" onSubmit={submit}>
              <input type="password" aria-label="Moderator token" placeholder="Moderator token" autocomplete="off" value={token()} onInput={(e) => setToken(e.currentTarget.value)} />
              <button type="submit" class="search-button">Sign in</button>
              <button type="button" class="link-button" onClick={() => setOpen(false)}>Cancel</button>
            </form>
          </Show>
        }
      >
        <span data-testid="moderating">Moderating: you can remove any message.</span>
        <button type="button" class="link-button" onClick={() => props.chat.signOutModerator()}>Sign out</button>
      </Show>
    </div>
  );
}

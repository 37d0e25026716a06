// Moderator sign-in for this browser: a token from MODERATOR_TOKENS, kept in localStorage, that
// lets this browser remove any message. Also where a failed removal is explained.
import { createSignal, For, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';
import { ReportsPanel } from './reports-panel.tsx';
import { TIMEOUT_CHOICES } from '../lib/moderation.ts';

/** Slow-mode choices: seconds and label. */
const SLOW_MODES: ReadonlyArray<[number, string]> = [[0, 'off'], [10, '10 s'], [30, '30 s'], [60, '1 min'], [300, '5 min'], [1800, '30 min'], [21_600, '6 h']];

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
        <label class="slow-mode">
          Slow mode{' '}
          <select value={String(props.chat.snapshot().slowMode)} onChange={(e) => void props.chat.setSlowMode(Number(e.currentTarget.value))}>
            <For each={SLOW_MODES}>{([seconds, label]) => <option value={String(seconds)}>{label}</option>}</For>
          </select>
        </label>
        <label class="slow-mode">
          Time out for{' '}
          <select value={String(props.chat.timeoutMinutes())} onChange={(e) => props.chat.setTimeoutMinutes(Number(e.currentTarget.value))}>
            <For each={TIMEOUT_CHOICES}>{([minutes, label]) => <option value={String(minutes)}>{label}</option>}</For>
          </select>
        </label>
        <button type="button" class="link-button" onClick={() => props.chat.signOutModerator()}>Sign out</button>
        <ReportsPanel chat={props.chat} />
      </Show>
    </div>
  );
}

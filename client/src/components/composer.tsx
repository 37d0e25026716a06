// Writing a message: Enter sends, Shift+Enter adds a line, a live n/500 counter, and send
// disabled while the text is empty or too long, or while slow mode asks to wait (a countdown).
import { TextField } from '@kobalte/core/text-field';
import { createEffect, createSignal, on, onCleanup, Show } from 'solid-js';
import { replyExcerpt } from '@anime-universe/protocol';
import { MAX_TEXT_LENGTH, normalizeText, textLength } from '@anime-universe/protocol';
import type { Chat } from '../state/create-chat.ts';

export function Composer(props: { chat: Chat }) {
  const [text, setText] = createSignal('');
  const length = () => textLength(normalizeText(text()));
  const tooLong = () => length() > MAX_TEXT_LENGTH;
  // Slow mode: after sending here, wait slowMode seconds (moderators do not).
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 500);
  onCleanup(() => clearInterval(tick));
  const [lastSent, setLastSent] = createSignal<{ room: string; at: number } | undefined>();
  const slowWait = () => {
    const s = props.chat.snapshot();
    const last = lastSent();
    if (!s.slowMode || s.moderating || !last || last.room !== s.room) return 0;
    return Math.max(0, Math.ceil((last.at + s.slowMode * 1000 - now()) / 1000));
  };
  const canSend = () => length() > 0 && !tooLong() && slowWait() === 0;
  let field: HTMLTextAreaElement | undefined;
  // Choosing Reply on a message brings the cursor here.
  createEffect(on(props.chat.replyingTo, (m) => m && field?.focus(), { defer: true }));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!canSend()) return;
    if (props.chat.send(text()) === undefined) {
      setText('');
      setLastSent({ room: props.chat.snapshot().room, at: Date.now() });
    }
  };

  return (
    <form class="panel composer" onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && props.chat.cancelReply()}>
      <Show when={props.chat.replyingTo()}>
        {(m) => (
          <div class="replying" data-testid="replying-to">
            <span>Replying to <strong>{m().username}</strong>: <span class="quote-text">{replyExcerpt(m().text)}</span></span>
            <button type="button" class="link-button" aria-label="Cancel the reply" onClick={() => props.chat.cancelReply()}>✕</button>
          </div>
        )}
      </Show>
      <TextField class="field" value={text()} onChange={setText} validationState={tooLong() ? 'invalid' : 'valid'}>
        <TextField.Label class="sr-only">Message #{props.chat.snapshot().room}</TextField.Label>
        <TextField.TextArea
          ref={field}
          class="input"
          autoResize
          submitOnEnter
          rows={1}
          placeholder={`Message #${props.chat.snapshot().room}`}
          aria-describedby="composer-counter"
        />
        <TextField.ErrorMessage class="field-error">Too long: {MAX_TEXT_LENGTH} characters at most.</TextField.ErrorMessage>
      </TextField>
      <span id="composer-counter" class="counter" data-over={tooLong() ? 'true' : 'false'}>
        <Show when={slowWait() > 0} fallback={<>{length()}/{MAX_TEXT_LENGTH}</>}>
          <span data-testid="slow-mode-wait">Slow mode · {slowWait()} s</span>
        </Show>
      </span>
      <button type="submit" class="send" disabled={!canSend()}>
        Send
      </button>
    </form>
  );
}

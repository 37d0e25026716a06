// Writing a message: Enter sends, Shift+Enter adds a line, a live n/500 counter, and send
// disabled while the text is empty or too long, or while slow mode asks to wait (a countdown).
// Typing "@" offers the names in the room (arrows to choose, Enter or Tab to pick, Escape to
// close); Reply on a message shows what is replied to above the field.
import { TextField } from '@kobalte/core/text-field';
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { replyExcerpt } from '@anime-universe/protocol';
import { MAX_TEXT_LENGTH, normalizeText, textLength } from '@anime-universe/protocol';
import type { Chat } from '../state/create-chat.ts';
import { insertMention, suggestNames, typedMention } from '../lib/mention-suggest.ts';

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

  // @mention suggestions for what is typed before the caret.
  const [caret, setCaret] = createSignal(0);
  const [active, setActive] = createSignal(0);
  const [dismissed, setDismissed] = createSignal(false);
  const prefix = () => (dismissed() ? undefined : typedMention(text(), caret()));
  const suggestions = createMemo(() => {
    const p = prefix();
    if (p === undefined) return [];
    const s = props.chat.snapshot();
    const authors: string[] = [];
    for (let i = s.timeline.items.length - 1; i >= 0 && authors.length < 100; i--) {
      const item = s.timeline.items[i];
      if (item?.kind === 'message') authors.push(item.message.username);
    }
    return suggestNames(p, authors, s.names, s.me?.username);
  });
  createEffect(on(prefix, (p) => {
    setActive(0);
    if (p !== undefined) props.chat.loadNames();
  }));
  const trackCaret = () => setCaret(field?.selectionStart ?? text().length);
  const pick = (name: string) => {
    const next = insertMention(text(), caret(), name);
    setText(next.text);
    setCaret(next.caret);
    queueMicrotask(() => field?.setSelectionRange(next.caret, next.caret));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const list = suggestions();
    if (list.length === 0) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault(); // no keypress follows, so Enter does not also send
      pick(list[active()] as string);
    } else if (e.key === 'Escape') {
      e.stopPropagation(); // closes the suggestions, not the reply
      setDismissed(true);
    }
  };

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
      <Show when={suggestions().length > 0}>
        <ul class="mention-suggestions" id="mention-suggestions" role="listbox" aria-label="Names to mention">
          <For each={suggestions()}>
            {(name, i) => (
              <li
                id={`mention-option-${i()}`} role="option" aria-selected={i() === active()} class="mention-option"
                onMouseDown={(e) => {
                  e.preventDefault(); // keep the focus in the field
                  pick(name);
                }}
              >
                @{name}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <TextField
        class="field" value={text()} validationState={tooLong() ? 'invalid' : 'valid'}
        onChange={(v) => {
          setText(v);
          setDismissed(false);
          if (v.trim()) props.chat.typing();
          trackCaret();
        }}
      >
        <TextField.Label class="sr-only">Message #{props.chat.snapshot().room}</TextField.Label>
        <TextField.TextArea
          ref={field}
          onKeyDown={onKeyDown}
          onKeyUp={(e: KeyboardEvent) => (e.key === 'ArrowUp' || e.key === 'ArrowDown') || trackCaret()}
          onClick={trackCaret}
          aria-autocomplete="list"
          aria-controls={suggestions().length > 0 ? 'mention-suggestions' : undefined}
          aria-activedescendant={suggestions().length > 0 ? `mention-option-${active()}` : undefined}
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

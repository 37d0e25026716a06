// Writing a message: Enter sends, Shift+Enter adds a line, a live n/500 counter, and send
// disabled while the text is empty or too long.
import { TextField } from '@kobalte/core/text-field';
import { createSignal } from 'solid-js';
import { MAX_TEXT_LENGTH, normalizeText, textLength } from '@anime-universe/protocol';
import type { Chat } from '../state/create-chat.ts';

export function Composer(props: { chat: Chat }) {
  const [text, setText] = createSignal('');
  const length = () => textLength(normalizeText(text()));
  const tooLong = () => length() > MAX_TEXT_LENGTH;
  const canSend = () => length() > 0 && !tooLong();

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!canSend()) return;
    if (props.chat.send(text()) === undefined) setText('');
  };

  return (
    <form class="panel composer" onSubmit={submit}>
      <TextField class="field" value={text()} onChange={setText} validationState={tooLong() ? 'invalid' : 'valid'}>
        <TextField.Label class="sr-only">Message #{props.chat.snapshot().room}</TextField.Label>
        <TextField.TextArea
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
        {length()}/{MAX_TEXT_LENGTH}
      </span>
      <button type="submit" class="send" disabled={!canSend()}>
        Send
      </button>
    </form>
  );
}

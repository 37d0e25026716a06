// The quote above a reply: who wrote the original and the start of it, a button that shows the
// original in the conversation; "message removed" once the original is gone.
import { Show } from 'solid-js';
import type { ReplyRef } from '@anime-universe/protocol';

export function ReplyQuote(props: { quote: ReplyRef; onShow?: () => void }) {
  return (
    <Show
      when={!props.quote.removed}
      fallback={<p class="quote" data-removed="true"><span aria-hidden="true">↪ </span>Reply to {props.quote.username}: message removed</p>}
    >
      <button type="button" class="quote" aria-label={`Reply to ${props.quote.username}: ${props.quote.excerpt}. Show the original`} disabled={!props.onShow} onClick={() => props.onShow?.()}>
        <span aria-hidden="true">↪ </span><span class="quote-author">{props.quote.username}</span> <span class="quote-text">{props.quote.excerpt}</span>
      </button>
    </Show>
  );
}

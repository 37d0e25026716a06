// A message of yours the server has not confirmed: sending, or failed with a reason and retry.
import { Show } from 'solid-js';
import type { OutboxItem } from '../lib/outbox.ts';
import { failureReason } from '../lib/format.ts';
import { ReplyQuote } from './reply-quote.tsx';

export function PendingItem(props: { item: OutboxItem; onRetry: () => void; onDiscard: () => void }) {
  const failed = () => props.item.state === 'failed';
  return (
    <li class="message" data-mine="true" data-state={failed() ? 'failed' : 'pending'} data-client-id={props.item.clientId}>
      <div class="bubble">
        <Show when={props.item.replyTo}>{(quote) => <ReplyQuote quote={quote()} />}</Show>
        <p class="text">{props.item.text}</p>
        <Show when={failed()} fallback={<span class="status"><span aria-hidden="true">◷</span> sending…</span>}>
          <span class="status error" role="alert">{failureReason(props.item.error)}</span>
          <span class="actions">
            <button type="button" class="link-button" onClick={() => props.onRetry()}>Retry</button>
            <button type="button" class="link-button" onClick={() => props.onDiscard()}>Discard</button>
          </span>
        </Show>
      </div>
    </li>
  );
}

// One stored message: yours right-aligned and marked delivered; others' with avatar, name,
// local time (full date on hover) and an "Ignore" button; "Remove" for its author in time or a
// moderator. A message from an ignored name shows as a small placeholder until "Show"; a
// removed one as "Message from X removed". Text is rendered as text, never as HTML.
import { createSignal, For, Show } from 'solid-js';
import { mentions, type ChatMessage } from '@anime-universe/protocol';
import { fullDate, localTime } from '../lib/format.ts';
import { Avatar } from './avatar.tsx';
import { MessageText } from './message-text.tsx';
import { ReactionBar } from './reaction-bar.tsx';
import { ReplyQuote } from './reply-quote.tsx';

export interface MessageItemProps {
  message: ChatMessage;
  mine: boolean;
  ignored: boolean;
  onToggleIgnore: () => void;
  /** Whether this browser may remove it (its author in time, or a moderator). */
  removable: boolean;
  onRemove: () => void;
  /** A moderator may time out the author. */
  moderator: boolean;
  onTimeOut: () => void;
  /** Reports the message to the moderators with a reason. */
  onReport: (reason: string) => void;
  /** My name, to mark my own reactions. */
  me: string | undefined;
  onReact: (emoji: string, on: boolean) => void;
  /** The reaction picker is open on this message. */
  picking: boolean;
  setPicking: (open: boolean) => void;
  onReply: () => void;
  /** Shows the message a reply quotes. */
  onShowOriginal: (offset: number) => void;
  /** Opens a private thread with the author. */
  onPrivate: () => void;
  /** Continues the same sender's group: no avatar, name or time shown. */
  continued: boolean;
}

const REPORT_REASONS = ['spam', 'abuse', 'other'] as const;

export function MessageItem(props: MessageItemProps) {
  const [shown, setShown] = createSignal(false);
  const [reporting, setReporting] = createSignal(false);
  const hidden = () => props.ignored && !props.mine && !shown();
  return (
    <Show when={!props.message.redacted} fallback={<RemovedItem message={props.message} />}>
      <Show
        when={!hidden()}
        fallback={
          <li class="message ignored-message" data-mine="false" data-state="delivered" data-ignored="true" data-id={props.message.id} data-offset={props.message.offset}>
            <span class="ignored-note">Message from an ignored name hidden.</span>{' '}
            <button type="button" class="link-button" onClick={() => setShown(true)}>Show</button>
          </li>
        }
      >
        <li
          class="message" data-mine={props.mine ? 'true' : 'false'} data-state="delivered" data-id={props.message.id} data-offset={props.message.offset}
          data-mention={!props.mine && mentions(props.message.text, props.me) ? 'true' : 'false'} data-continued={props.continued ? 'true' : 'false'}
        >
          <Show when={!props.mine}>
            <Show when={!props.continued} fallback={<span class="avatar-space" aria-hidden="true" />}>
              <Avatar name={props.message.username} />
            </Show>
          </Show>
          <div class="bubble">
            <Show
              when={!props.continued}
              fallback={<span class="sr-only">{props.mine ? 'You' : props.message.username}, {localTime(props.message.timestamp)}: </span>}
            >
              <div class="meta">
                <span class="author">{props.mine ? 'You' : props.message.username}</span>
                <time datetime={props.message.timestamp} title={fullDate(props.message.timestamp)}>
                  {localTime(props.message.timestamp)}
                </time>
                <Show when={!props.mine}>
                  <button type="button" class="link-button ignore-button" aria-label={`${props.ignored ? 'Stop ignoring' : 'Ignore'} ${props.message.username}`} onClick={() => {
                    setShown(false);
                    props.onToggleIgnore();
                  }}>
                    {props.ignored ? 'Unignore' : 'Ignore'}
                  </button>
                </Show>
              </div>
            </Show>
            <Show when={props.message.replyTo}>
              {(quote) => <ReplyQuote quote={quote()} onShow={() => props.onShowOriginal(quote().offset)} />}
            </Show>
            <MessageText text={props.message.text} me={props.me} />
            <Show when={props.mine}>
              <span class="status"><span aria-hidden="true">✓</span> delivered</span>
            </Show>
            <div class="message-foot">
            <ReactionBar reactions={props.message.reactions} me={props.me} onReact={props.onReact} picking={props.picking} setPicking={props.setPicking} />
            <div class="actions">
              <button type="button" class="link-button remove-button reply-button" aria-label={`Reply to ${props.mine ? 'your message' : props.message.username}`} onClick={() => props.onReply()}>
                Reply
              </button>
              <Show when={!props.mine}>
                <button type="button" class="link-button remove-button" aria-label={`Private message to ${props.message.username}`} onClick={() => props.onPrivate()}>
                  Private message
                </button>
                <Show
                  when={reporting()}
                  fallback={<button type="button" class="link-button remove-button" aria-label={`Report the message from ${props.message.username}`} onClick={() => setReporting(true)}>Report</button>}
                >
                  <span class="ignored-note">Report as</span>
                  <For each={REPORT_REASONS}>
                    {(reason) => (
                      <button type="button" class="link-button remove-button" onClick={() => { setReporting(false); props.onReport(reason); }}>{reason}</button>
                    )}
                  </For>
                  <button type="button" class="link-button remove-button" onClick={() => setReporting(false)}>cancel</button>
                </Show>
              </Show>
              <Show when={props.moderator && !props.mine}>
                <button type="button" class="link-button remove-button" aria-label={`Time out ${props.message.username}`} onClick={() => props.onTimeOut()}>
                  Time out
                </button>
              </Show>
              <Show when={props.removable}>
                <button type="button" class="link-button remove-button" aria-label={`Remove ${props.mine ? 'your message' : `the message from ${props.message.username}`}`} onClick={() => props.onRemove()}>
                  Remove
                </button>
              </Show>
            </div>
            </div>
          </div>
        </li>
      </Show>
    </Show>
  );
}

/** A removed message keeps its place: who and when, no text. */
function RemovedItem(props: { message: ChatMessage }) {
  return (
    <li class="message removed-message" data-mine="false" data-state="delivered" data-removed="true" data-id={props.message.id} data-offset={props.message.offset}>
      <span class="ignored-note">
        Message from {props.message.username} removed · <time datetime={props.message.timestamp}>{localTime(props.message.timestamp)}</time>
      </span>
    </li>
  );
}

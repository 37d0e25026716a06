// One stored message: yours right-aligned and marked delivered; others' with avatar, name and
// local time (full date on hover). Text is rendered as text, never as HTML.
import { Show } from 'solid-js';
import type { ChatMessage } from '@anime-universe/protocol';
import { fullDate, localTime } from '../lib/format.ts';
import { Avatar } from './avatar.tsx';

export function MessageItem(props: { message: ChatMessage; mine: boolean }) {
  return (
    <li class="message" data-mine={props.mine ? 'true' : 'false'} data-state="delivered" data-id={props.message.id} data-offset={props.message.offset}>
      <Show when={!props.mine}>
        <Avatar name={props.message.username} />
      </Show>
      <div class="bubble">
        <div class="meta">
          <span class="author">{props.mine ? 'You' : props.message.username}</span>
          <time datetime={props.message.timestamp} title={fullDate(props.message.timestamp)}>
            {localTime(props.message.timestamp)}
          </time>
        </div>
        <p class="text">{props.message.text}</p>
        <Show when={props.mine}>
          <span class="status"><span aria-hidden="true">✓</span> delivered</span>
        </Show>
      </div>
    </li>
  );
}

// One stored message: yours right-aligned and marked delivered; others' with avatar, name,
// local time (full date on hover) and an "Ignore" button. A message from an ignored name shows
// as a small placeholder until "Show". Text is rendered as text, never as HTML.
import { createSignal, Show } from 'solid-js';
import type { ChatMessage } from '@anime-universe/protocol';
import { fullDate, localTime } from '../lib/format.ts';
import { Avatar } from './avatar.tsx';

export function MessageItem(props: { message: ChatMessage; mine: boolean; ignored: boolean; onToggleIgnore: () => void }) {
  const [shown, setShown] = createSignal(false);
  const hidden = () => props.ignored && !props.mine && !shown();
  return (
    <Show
      when={!hidden()}
      fallback={
        <li class="message ignored-message" data-mine="false" data-state="delivered" data-ignored="true" data-id={props.message.id} data-offset={props.message.offset}>
          <span class="ignored-note">Message from an ignored name hidden.</span>{' '}
          <button type="button" class="link-button" onClick={() => setShown(true)}>Show</button>
        </li>
      }
    >
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
            <Show when={!props.mine}>
              <button type="button" class="link-button ignore-button" aria-label={`${props.ignored ? 'Stop ignoring' : 'Ignore'} ${props.message.username}`} onClick={() => {
                setShown(false);
                props.onToggleIgnore();
              }}>
                {props.ignored ? 'Unignore' : 'Ignore'}
              </button>
            </Show>
          </div>
          <p class="text">{props.message.text}</p>
          <Show when={props.mine}>
            <span class="status"><span aria-hidden="true">✓</span> delivered</span>
          </Show>
        </div>
      </li>
    </Show>
  );
}

// App title, your anonymous name (and a button for a new one), the connection badge and the
// room's online count.
import { Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';
import { Avatar } from './avatar.tsx';
import { ConnectionBadge } from './connection-badge.tsx';
import { RoomMenu } from './room-menu.tsx';

export function Header(props: { chat: Chat }) {
  const s = () => props.chat.snapshot();
  return (
    <header class="panel header">
      <h1 class="title">
        <span class="logo" aria-hidden="true">✦</span> Anime Universe
      </h1>
      <div class="room-switch">
        <RoomMenu rooms={s().rooms} current={s().room} onSelect={props.chat.switchRoom} />
      </div>
      <div class="header-meta">
        <Show when={s().me}>
          {(me) => (
            <span class="me">
              <Avatar name={me().username} size="sm" />
              <span class="sr-only">You are </span>
              <span data-testid="my-name">{me().username}</span>
              <button type="button" class="link-button rename-button" title="Take a new anonymous name" onClick={() => props.chat.rename()}>
                New name
              </button>
            </span>
          )}
        </Show>
        <span class="online" data-testid="online-count">
          <span aria-hidden="true">●</span> {s().online} online
        </span>
        <ConnectionBadge state={s().connection} browserOnline={props.chat.browserOnline()} onRetry={props.chat.reconnectNow} />
      </div>
    </header>
  );
}

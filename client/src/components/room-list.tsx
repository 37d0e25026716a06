// The rooms as a sidebar list (wide screens): the current room is marked, others show how many
// messages came since you last read them, and how many of those mention you.
import { For, Show } from 'solid-js';

export function RoomList(props: { rooms: string[]; current: string; unread: Record<string, number>; mentions: Record<string, number>; onSelect: (room: string) => void }) {
  return (
    <nav class="panel rooms" aria-label="Rooms">
      <h2 class="rooms-title">Rooms</h2>
      <ul>
        <For each={props.rooms}>
          {(room) => (
            <li>
              <button
                type="button"
                class="room"
                aria-current={room === props.current ? 'page' : undefined}
                onClick={() => props.onSelect(room)}
              >
                <span aria-hidden="true">#</span> {room}
                <Show when={room !== props.current && (props.mentions[room] ?? 0) > 0}>
                  <span class="mention-badge" data-testid={`mentions-${room}`}>
                    @{props.mentions[room]}
                    <span class="sr-only"> {props.mentions[room] === 1 ? 'mention' : 'mentions'} of you,</span>
                  </span>
                </Show>
                <Show when={room !== props.current && (props.unread[room] ?? 0) > 0}>
                  <span class="unread" data-testid={`unread-${room}`}>
                    {(props.unread[room] ?? 0) > 99 ? '99+' : props.unread[room]}
                    <span class="sr-only"> unread</span>
                  </span>
                </Show>
              </button>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}

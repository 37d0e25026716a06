// The themed rooms as a sidebar list (wide screens); the current room is marked.
import { For } from 'solid-js';

export function RoomList(props: { rooms: string[]; current: string; onSelect: (room: string) => void }) {
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
              </button>
            </li>
          )}
        </For>
      </ul>
    </nav>
  );
}

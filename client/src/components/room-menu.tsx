// The rooms as a menu for small screens, where the sidebar is hidden.
import { DropdownMenu } from '@kobalte/core/dropdown-menu';
import { For } from 'solid-js';

export function RoomMenu(props: { rooms: string[]; current: string; onSelect: (room: string) => void }) {
  return (
    // Not modal: a modal menu hides the page from assistive tech until it cleans up, and a room
    // switch re-renders the app while the menu closes.
    <DropdownMenu modal={false}>
      <DropdownMenu.Trigger class="room-menu-trigger" aria-label={`Room: ${props.current}. Change room`}>
        <span aria-hidden="true">#</span> {props.current} <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content class="panel room-menu">
          <DropdownMenu.RadioGroup value={props.current} onChange={(room) => props.onSelect(room)}>
            <For each={props.rooms}>
              {(room) => (
                <DropdownMenu.RadioItem class="room" value={room}>
                  <DropdownMenu.ItemLabel># {room}</DropdownMenu.ItemLabel>
                </DropdownMenu.RadioItem>
              )}
            </For>
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu>
  );
}

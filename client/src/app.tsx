// Layout: rooms beside the conversation on wide screens, a room menu in the header on phones.
import { Header } from './components/header.tsx';
import { Composer } from './components/composer.tsx';
import { MessageList } from './components/message-list.tsx';
import { ModerationBar } from './components/moderation-bar.tsx';
import { RoomList } from './components/room-list.tsx';
import { SearchBar } from './components/search-bar.tsx';
import { NotifyToggle } from './components/notify-toggle.tsx';
import { createChat } from './state/create-chat.ts';
import { typingLine } from './lib/typing.ts';
import { Show } from 'solid-js';
import { RoomGate } from './components/room-gate.tsx';
import { NewRoom } from './components/new-room.tsx';
import { PrivateList } from './components/private-list.tsx';
import { PrivateThread } from './components/private-thread.tsx';
import { PhoneExtras } from './components/phone-extras.tsx';

export function App() {
  const chat = createChat();
  return (
    <div class="app">
      <Header chat={chat} />
      <PhoneExtras chat={chat} />
      <aside class="sidebar">
        <RoomList rooms={chat.snapshot().rooms} current={chat.snapshot().room} unread={chat.snapshot().unread} mentions={chat.snapshot().mentions} onSelect={chat.switchRoom} />
        <NewRoom chat={chat} />
        <PrivateList chat={chat} />
      </aside>
      <main class="main">
        <SearchBar chat={chat} />
        <Show when={!chat.snapshot().private.open} fallback={<PrivateThread chat={chat} />}>
          <RoomGate chat={chat} />
          <Show when={!chat.snapshot().needsPasscode}>
            <MessageList chat={chat} />
            <p class="typing-line" data-testid="typing">{typingLine(chat.snapshot().typing)}</p>
            <Composer chat={chat} />
          </Show>
        </Show>
        <div class="footer-row">
          <ModerationBar chat={chat} />
          <NotifyToggle chat={chat} />
        </div>
      </main>
      <div class="sr-only" aria-live="polite" aria-atomic="true">{chat.announcement()}</div>
    </div>
  );
}

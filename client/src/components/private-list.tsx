// The sidebar's private threads: each name with its unread count (opens the thread), and the
// switch for taking private messages at all.
import { For, Show } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';

export function PrivateList(props: { chat: Chat }) {
  const view = () => props.chat.snapshot().private;
  return (
    <nav class="panel private-list" aria-label="Private messages">
      <h2 class="rooms-title">Private</h2>
      <Show when={view().threads.length > 0} fallback={<p class="private-empty">Choose “Private message” on someone's message to start.</p>}>
        <ul>
          <For each={view().threads}>
            {(t) => (
              <li>
                <button type="button" class="room" aria-current={view().open?.peer === t.peer ? 'page' : undefined} onClick={() => props.chat.openThread(t.peer)}>
                  <span aria-hidden="true">✉</span> {t.peer}
                  <Show when={t.unread > 0 && view().open?.peer !== t.peer}>
                    <span class="unread" data-testid={`private-unread-${t.peer}`}>{t.unread}<span class="sr-only"> unread</span></span>
                  </Show>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <label class="private-toggle">
        <input type="checkbox" checked={!view().off} onChange={(e) => props.chat.setPrivateOff(!e.currentTarget.checked)} /> Take private messages
      </label>
    </nav>
  );
}

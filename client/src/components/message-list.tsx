// The conversation. Stays pinned to the newest message while you are at the bottom; when you
// have scrolled up, new messages leave the view alone and a pill offers to jump down.
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';
import { isNearBottom } from '../lib/scroll.ts';
import { MessageItem } from './message-item.tsx';
import { PendingItem } from './pending-item.tsx';

export function MessageList(props: { chat: Chat }) {
  let list!: HTMLDivElement;
  const s = () => props.chat.snapshot();
  // Memos compare by value: the snapshot changes on every event, these only when they do.
  const room = createMemo(() => s().room);
  const items = createMemo(() => s().timeline.items);
  const outbox = createMemo(() => s().outbox);
  const [pinned, setPinned] = createSignal(true);
  const [seenCount, setSeenCount] = createSignal(0);
  const messageCount = createMemo(() => items().filter((i) => i.kind === 'message').length);
  const unseen = () => (pinned() ? 0 : Math.max(0, messageCount() - seenCount()));
  let autoTop = 0; // scrollTop right after we last scrolled to the bottom
  const toBottom = () => {
    list.scrollTo({ top: list.scrollHeight });
    autoTop = list.scrollTop;
  };
  // Scroll events arrive a frame late; a scrollTop above our last auto-scroll means the
  // reader has moved up even if the event has not been handled yet.
  const stillPinned = () => pinned() && list.scrollTop >= autoTop - 2;

  const onScroll = () => {
    const atBottom = isNearBottom(list);
    setPinned(atBottom);
    if (atBottom) {
      autoTop = list.scrollTop;
      setSeenCount(messageCount());
    }
  };
  createEffect(on([items, outbox], () => {
    if (stillPinned()) {
      queueMicrotask(toBottom);
      setSeenCount(messageCount());
    } else setPinned(false);
  }));
  createEffect(on(room, () => {
    setPinned(true);
    queueMicrotask(toBottom);
  }));

  return (
    <div class="panel conversation">
      <div class="messages" ref={list} onScroll={onScroll} tabindex="0" aria-label={`Messages in ${s().room}`}>
        <ol class="message-list">
          <For each={s().timeline.items}>
            {(item) => (
              <Switch>
                <Match when={item.kind === 'message' && item}>
                  {(m) => <MessageItem message={m().message} mine={m().message.username === s().me?.username} />}
                </Match>
                <Match when={item.kind === 'notice' && item}>{(n) => <li class="notice">{n().text}</li>}</Match>
                <Match when={item.kind === 'gap'}>
                  <li class="notice gap">Some messages from while you were away could not be loaded.</li>
                </Match>
              </Switch>
            )}
          </For>
          <For each={s().outbox}>
            {(item) => (
              <PendingItem item={item} onRetry={() => props.chat.retry(item.clientId)} onDiscard={() => props.chat.discard(item.clientId)} />
            )}
          </For>
        </ol>
        <Show when={s().timeline.items.length === 0 && s().outbox.length === 0}>
          <p class="empty">No messages in #{s().room} yet. Say hello!</p>
        </Show>
      </div>
      <Show when={unseen() > 0}>
        <button type="button" class="new-pill" onClick={toBottom}>
          {unseen()} new {unseen() === 1 ? 'message' : 'messages'} <span aria-hidden="true">↓</span>
        </button>
      </Show>
    </div>
  );
}

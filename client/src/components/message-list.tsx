// The conversation. Stays pinned to the newest message while you are at the bottom; when you
// have scrolled up, new messages leave the view alone and a pill offers to jump down. Scrolling
// to the top loads older messages above without moving what you are reading, down to the
// beginning of the room.
import { createEffect, createMemo, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { Chat } from '../state/create-chat.ts';
import { continuedMessages, dayBreaks } from '../lib/format.ts';
import { isNearBottom } from '../lib/scroll.ts';
import { MessageItem } from './message-item.tsx';
import { PendingItem } from './pending-item.tsx';

export function MessageList(props: { chat: Chat }) {
  let list!: HTMLDivElement;
  const s = () => props.chat.snapshot();
  // The chat is a store: reading a property tracks that property only. Items keep their identity
  // (matched by key), so a change inside one message updates that message alone.
  const room = createMemo(() => s().room);
  const items = () => s().timeline.items;
  const outbox = () => s().outbox;
  // What moves the view: a message or a pending one added or gone at the end.
  const tail = () => [items().length, items()[items().length - 1]?.key, outbox().length, outbox()[outbox().length - 1]?.state];
  // A "Today" / "Yesterday" / date line above the first message of each day.
  const dayStarts = createMemo(() => dayBreaks(items()));
  // A sender's messages close together show as one group (avatar and name once).
  const continued = createMemo(() => continuedMessages(items()));
  const [pinned, setPinned] = createSignal(true);
  // The message whose reaction picker is open.
  const [picking, setPicking] = createSignal<string | undefined>();
  // The first message after what you had read when you opened the room (none on a first visit).
  const firstUnread = createMemo(() => {
    const after = s().readBefore;
    if (after === undefined) return undefined;
    return items().find((i) => i.kind === 'message' && i.message.offset > after && i.message.username !== s().me?.username)?.key;
  });
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

  // Older messages: asked for near the top; when they arrive above, the view keeps its place.
  let anchor: { height: number; top: number; first: string | undefined } | undefined;
  const firstKey = createMemo(() => items().find((i) => i.kind === 'message')?.key);
  const loadOlder = () => {
    if (s().older === 'loading' || s().timeline.atStart) return;
    anchor = { height: list.scrollHeight, top: list.scrollTop, first: firstKey() };
    props.chat.loadOlder();
  };
  createEffect(on(firstKey, () => {
    if (!anchor || firstKey() === anchor.first) return;
    list.scrollTo({ top: anchor.top + (list.scrollHeight - anchor.height), behavior: 'instant' });
    anchor = undefined;
  }));

  const onScroll = () => {
    const atBottom = isNearBottom(list);
    if (list.scrollTop < 80 && !atBottom) loadOlder();
    setPinned(atBottom);
    if (atBottom) {
      autoTop = list.scrollTop;
      setSeenCount(messageCount());
    }
  };
  createEffect(on(tail, () => {
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
          <Show when={s().timeline.items.length > 0}>
            <li class="history-edge">
              <Switch>
                <Match when={s().timeline.atStart}>Beginning of #{s().room}</Match>
                <Match when={s().older === 'loading'}>Loading earlier messages…</Match>
                <Match when={true}>
                  <button type="button" class="link-button" onClick={loadOlder}>
                    {s().older === 'failed' ? 'Could not load earlier messages. Try again' : 'Load earlier messages'}
                  </button>
                </Match>
              </Switch>
            </li>
          </Show>
          <For each={s().timeline.items}>
            {(item) => (
              <Switch>
                <Match when={item.kind === 'message' && item}>
                  {(m) => (
                    <>
                      <Show when={dayStarts().get(m().key)}>
                        {(label) => <li class="day-divider">{label()}</li>}
                      </Show>
                      <Show when={m().key === firstUnread()}>
                        <li class="new-divider">New messages</li>
                      </Show>
                      <MessageItem
                        message={m().message}
                        mine={m().message.username === s().me?.username}
                        ignored={props.chat.ignored().has(m().message.username)}
                        onToggleIgnore={() => props.chat.toggleIgnore(m().message.username)}
                        removable={props.chat.canRemove(m().message)}
                        onRemove={() => void props.chat.remove(m().message)}
                        moderator={props.chat.moderator()}
                        onTimeOut={() => void props.chat.timeOut(m().message)}
                        onReport={(reason) => void props.chat.report(m().message, reason)}
                        me={s().me?.username}
                        onReact={(emoji, on) => props.chat.react(m().message, emoji, on)}
                        picking={picking() === m().message.id}
                        setPicking={(open) => setPicking(open ? m().message.id : undefined)}
                        onReply={() => props.chat.startReply(m().message)}
                        continued={continued().has(m().key)}
                        onPrivate={() => props.chat.openThread(m().message.username)}
                        onShowOriginal={(offset) => void props.chat.showOriginal(offset)}
                      />
                    </>
                  )}
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

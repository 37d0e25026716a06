// A private conversation with one name, shown instead of the room: its messages (mine on the
// right), messages on their way or refused, and a field to write. Text is text, never HTML.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { localTime } from '../lib/format.ts';
import type { Chat } from '../state/create-chat.ts';
import { MessageText } from './message-text.tsx';

export function PrivateThread(props: { chat: Chat }) {
  let list!: HTMLDivElement;
  const [text, setText] = createSignal('');
  const open = () => props.chat.snapshot().private.open;
  const me = () => props.chat.snapshot().me?.username;
  createEffect(on(() => [open()?.messages.length, open()?.pending.length], () => queueMicrotask(() => list?.scrollTo({ top: list.scrollHeight }))));
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (props.chat.sendPrivate(text()) === undefined) setText('');
  };
  return (
    <Show when={open()}>
      {(thread) => (
        <section class="panel conversation private-thread" aria-label={`Private conversation with ${thread().peer}`}>
          <div class="private-head">
            <h2><span aria-hidden="true">✉ </span>Private with {thread().peer}</h2>
            <button type="button" class="link-button" onClick={() => props.chat.closeThread()}>Back to #{props.chat.snapshot().room}</button>
          </div>
          <p class="private-note">Only you and {thread().peer} see this here. It is kept on the chat's Kafka log like every message, so its operators can read it.</p>
          <div class="messages" ref={list} tabindex="0">
            <Show when={thread().loading}><p class="empty">Loading…</p></Show>
            <ol class="message-list">
              <For each={thread().messages}>
                {(m) => (
                  <li class="message" data-mine={m.from === me() ? 'true' : 'false'} data-state="delivered" data-private-id={m.id}>
                    <div class="bubble">
                      <div class="meta">
                        <span class="author">{m.from === me() ? 'You' : m.from}</span> <time datetime={m.timestamp}>{localTime(m.timestamp)}</time>
                      </div>
                      <MessageText text={m.text} me={me()} />
                    </div>
                  </li>
                )}
              </For>
              <For each={thread().pending}>
                {(p) => (
                  <li class="message" data-mine="true" data-state={p.error ? 'failed' : 'pending'}>
                    <div class="bubble">
                      <p class="text">{p.text}</p>
                      <span class={p.error ? 'status error' : 'status'} role={p.error ? 'alert' : undefined}>{p.error ?? 'sending…'}</span>
                    </div>
                  </li>
                )}
              </For>
            </ol>
          </div>
          <form class="composer private-composer" onSubmit={submit}>
            <label class="sr-only" for="private-input">Private message to {thread().peer}</label>
            <input id="private-input" class="input" maxLength={500} placeholder={`Message ${thread().peer} privately`} value={text()} onInput={(e) => setText(e.currentTarget.value)} />
            <button type="submit" class="send" disabled={text().trim().length === 0}>Send</button>
          </form>
        </section>
      )}
    </Show>
  );
}

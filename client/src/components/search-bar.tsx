// Search in the current room: every word must match (server side, over the whole retained
// history). Choosing a result loads the messages back to it and shows it highlighted in context.
import { createSignal, For, Show } from 'solid-js';
import type { ChatMessage } from '@anime-universe/protocol';
import { fullDate, localTime } from '../lib/format.ts';
import type { Chat } from '../state/create-chat.ts';
import { jumpTo } from '../lib/jump-to.ts';

export function SearchBar(props: { chat: Chat }) {
  const [query, setQuery] = createSignal('');
  const [results, setResults] = createSignal<ChatMessage[] | undefined>();
  const [status, setStatus] = createSignal('');
  const room = () => props.chat.snapshot().room;

  const submit = async (e: Event) => {
    e.preventDefault();
    const q = query().trim();
    if (!q) return;
    setStatus('Searching…');
    try {
      const found = await props.chat.search(q);
      setResults(found);
      setStatus(found.length === 0 ? `Nothing in #${room()} matches “${q}”.` : `${found.length} ${found.length === 1 ? 'match' : 'matches'} in #${room()}`);
    } catch {
      setResults(undefined);
      setStatus('Search is not available right now. Try again shortly.');
    }
  };
  const close = () => {
    setResults(undefined);
    setStatus('');
  };
  const jump = async (m: ChatMessage) => {
    setStatus('Loading the conversation around it…');
    if (!(await jumpTo(props.chat, m.offset))) return void setStatus('That message is no longer in the history.');
    close();
  };

  return (
    <div class="search">
      <form role="search" class="search-form" onSubmit={submit}>
        <label class="sr-only" for="search-input">Search #{room()}</label>
        <input
          id="search-input" type="search" placeholder={`Search #${room()}`} maxLength={200}
          value={query()} onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => e.key === 'Escape' && close()}
        />
        <button type="submit" class="search-button">Search</button>
      </form>
      <p class="search-status" aria-live="polite">{status()}</p>
      <Show when={results()?.length}>
        <div class="search-results panel">
          <ol>
            <For each={results()}>
              {(m) => (
                <li>
                  <button type="button" class="search-result" onClick={() => void jump(m)}>
                    <span class="meta">
                      <span class="author">{m.username}</span>{' '}
                      <time datetime={m.timestamp} title={fullDate(m.timestamp)}>{localTime(m.timestamp)}</time>
                    </span>
                    <span class="text">{m.text}</span>
                  </button>
                </li>
              )}
            </For>
          </ol>
          <button type="button" class="link-button" onClick={close}>Close results</button>
        </div>
      </Show>
    </div>
  );
}

// Reading back through a room: the page before the oldest message shown (GET
// /rooms/:room/messages), search over the room (GET /rooms/:room/search), and loading older pages
// until a search result is shown. A page that arrives after the user moved to another room, or
// after the log's epoch changed, is dropped.
import type { ChatMessage, HistoryPage, SearchResults } from '@anime-universe/protocol';
import { addOlder, oldestOffset, type Timeline } from './timeline.ts';

/** Older messages loaded per step when scrolling back, and per step when jumping to a search result. */
const OLDER_PAGE = 50;
const REVEAL_PAGE = 200;

export interface ScrollbackDeps {
  httpOrigin: string;
  getJson(url: string): Promise<unknown>;
  room(): string;
  timeline(room: string): Timeline;
  setTimeline(room: string, t: Timeline): void;
  changed(): void;
}

export function makeScrollback(d: ScrollbackDeps) {
  let state: 'idle' | 'loading' | 'failed' = 'idle';
  /** Loads the page before the oldest message shown; true when one was added. */
  const fetchOlder = async (limit: number): Promise<boolean> => {
    const forRoom = d.room();
    const t = d.timeline(forRoom);
    const before = oldestOffset(t);
    if (state === 'loading' || t.atStart || before === undefined) return false;
    state = 'loading';
    d.changed();
    try {
      const page = (await d.getJson(`${d.httpOrigin}/rooms/${encodeURIComponent(forRoom)}/messages?before=${before}&limit=${limit}`)) as HistoryPage;
      if (forRoom !== d.room()) return false; // the user moved on; this room loads again when shown
      state = 'idle';
      const current = d.timeline(forRoom);
      if (current.epoch !== t.epoch) return false;
      d.setTimeline(forRoom, addOlder(current, page.messages, page.atStart));
      return true;
    } catch {
      if (forRoom === d.room()) state = 'failed';
      return false;
    } finally {
      d.changed();
    }
  };
  return {
    state: () => state,
    /** Another room opened: nothing is loading there. */
    reset() {
      state = 'idle';
    },
    loadOlder() {
      void fetchOlder(OLDER_PAGE);
    },
    async search(query: string): Promise<ChatMessage[]> {
      const body = (await d.getJson(`${d.httpOrigin}/rooms/${encodeURIComponent(d.room())}/search?q=${encodeURIComponent(query)}`)) as SearchResults;
      return body.results;
    },
    /** Older pages until the message at `offset` is shown (bounded: 50 pages of 200). */
    async reveal(offset: number): Promise<boolean> {
      for (let i = 0; i < 50; i++) {
        const t = d.timeline(d.room());
        const oldest = oldestOffset(t);
        if (oldest !== undefined && oldest <= offset) return t.items.some((x) => x.kind === 'message' && x.message.offset === offset);
        if (t.atStart || !(await fetchOlder(REVEAL_PAGE))) return false;
      }
      return false;
    },
  };
}

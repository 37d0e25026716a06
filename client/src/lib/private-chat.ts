// Private threads as the browser sees them: the threads of my name (from GET /private, with
// unread counts against read offsets kept in storage), the open thread's messages (a page from
// GET /private/:peer/messages, then live `dm` frames), messages on their way, and whether I take
// private messages at all (this browser's choice, sent on the socket URL).
import type { PrivateMessage, PrivatePage, PrivateThreads } from '@anime-universe/protocol';

const READ_KEY = 'anime-universe.private-read';
const OFF_KEY = 'anime-universe.dms-off';

export interface PrivateThread {
  peer: string;
  /** Unread messages from the peer. */
  unread: number;
  latestOffset: number;
}

export interface PrivateView {
  threads: PrivateThread[];
  /** The thread shown instead of the room, if any. */
  open?: { peer: string; messages: PrivateMessage[]; loading: boolean; pending: Array<{ clientId: string; text: string; error?: string }> };
  /** This browser takes no private messages. */
  off: boolean;
}

export interface PrivateDeps {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** GET with the chat token as the Bearer token. */
  getJson(url: string, token: string): Promise<unknown>;
  httpOrigin: string;
  isIgnored?(name: string): boolean;
  changed(): void;
}

export function makePrivateChat(d: PrivateDeps) {
  const read: Record<string, number> = (() => {
    try {
      return JSON.parse(d.storage.getItem(READ_KEY) ?? '{}') as Record<string, number>;
    } catch {
      return {};
    }
  })();
  let threads: PrivateThread[] = [];
  let open: PrivateView['open'];
  // Messages on their way, per peer: kept when their thread is closed, so they still go again
  // after a reconnect and are shown when the thread is opened again.
  type Pending = { clientId: string; text: string; error?: string };
  const pending = new Map<string, Pending[]>();
  const setPending = (peer: string, list: Pending[]) => {
    if (list.length > 0) pending.set(peer, list);
    else pending.delete(peer);
    if (open?.peer === peer) open = { ...open, pending: list };
  };
  let off = d.storage.getItem(OFF_KEY) === 'on';
  const markRead = (peer: string, offset: number) => {
    if ((read[peer] ?? -1) >= offset) return;
    read[peer] = offset;
    d.storage.setItem(READ_KEY, JSON.stringify(read));
  };
  const upsert = (peer: string, change: (t: PrivateThread) => PrivateThread) => {
    const found = threads.find((t) => t.peer === peer) ?? { peer, unread: 0, latestOffset: -1 };
    threads = [change(found), ...threads.filter((t) => t.peer !== peer)];
  };
  return {
    view: (): PrivateView => ({ threads, open, off }),
    /** After each welcome: the threads of my name, with what is unread since last time. */
    async refresh(token: string) {
      const q = Object.entries(read).map(([p, o]) => `${p}:${o}`).slice(0, 100).join(',');
      try {
        const body = (await d.getJson(`${d.httpOrigin}/private${q ? `?read=${encodeURIComponent(q)}` : ''}`, token)) as PrivateThreads;
        threads = body.threads
          .filter((t) => !d.isIgnored?.(t.peer))
          .map((t) => ({ peer: t.peer, latestOffset: t.latestOffset, unread: open?.peer === t.peer ? 0 : (t.unread ?? (read[t.peer] === undefined ? 1 : 0)) }));
        d.changed();
      } catch {
        // the list stays as it was; the next welcome asks again
      }
    },
    /** Shows the thread with `peer` (loading its newest page). */
    async openThread(peer: string, token: string | undefined) {
      open = { peer, messages: [], loading: true, pending: pending.get(peer) ?? [] };
      upsert(peer, (t) => ({ ...t, unread: 0 }));
      d.changed();
      if (!token) return;
      try {
        const page = (await d.getJson(`${d.httpOrigin}/private/${encodeURIComponent(peer)}/messages`, token)) as PrivatePage;
        if (open?.peer !== peer) return;
        const live = open.messages.filter((m) => !page.messages.some((p) => p.id === m.id));
        open = { ...open, messages: [...page.messages, ...live], loading: false };
        const last = open.messages.at(-1);
        if (last) markRead(peer, last.offset);
      } catch {
        if (open?.peer === peer) open = { ...open, loading: false };
      }
      d.changed();
    },
    closeThread() {
      open = undefined;
      d.changed();
    },
    /** A `dm` frame: to the open thread, or counted as unread in its thread. */
    received(m: PrivateMessage, me: string | undefined) {
      const peer = m.from === me ? m.to : m.from;
      if (d.isIgnored?.(peer)) return; // ignoring a name blocks its private messages too
      if (m.clientId) setPending(peer, (pending.get(peer) ?? []).filter((p) => p.clientId !== m.clientId));
      if (open?.peer === peer) {
        if (!open.messages.some((x) => x.id === m.id)) open = { ...open, messages: [...open.messages, m] };
        markRead(peer, m.offset);
        upsert(peer, (t) => ({ ...t, latestOffset: m.offset, unread: 0 }));
      } else {
        upsert(peer, (t) => ({ ...t, latestOffset: m.offset, unread: t.unread + (m.from === me ? 0 : 1) }));
      }
    },
    /** A message of mine to the open thread's peer, on its way. */
    sending(clientId: string, text: string) {
      if (open) setPending(open.peer, [...(pending.get(open.peer) ?? []), { clientId, text }]);
    },
    /** A refusal of a message of mine: true when it was one. "Outcome unknown" is no refusal:
     * the message stays on its way and is sent again (a retry, stored at most once). */
    refused(clientId: string, message: string, code?: string): boolean {
      for (const [peer, list] of pending) {
        if (!list.some((p) => p.clientId === clientId)) continue;
        if (code !== 'outcome_unknown') setPending(peer, list.map((p) => (p.clientId === clientId ? { ...p, error: message } : p)));
        return true;
      }
      return false;
    },
    /** Messages on their way (not confirmed, not refused) in every thread, or the one with
     * `clientId`: sent again as retries after a reconnect or an unknown outcome. */
    unconfirmed(clientId?: string): Array<{ to: string; clientId: string; text: string }> {
      return [...pending].flatMap(([to, list]) => list
        .filter((p) => !p.error && (clientId === undefined || p.clientId === clientId))
        .map((p) => ({ to, clientId: p.clientId, text: p.text })));
    },
    off: () => off,
    setOff(value: boolean) {
      off = value;
      d.storage.setItem(OFF_KEY, value ? 'on' : 'off');
    },
    unread: () => threads.reduce((n, t) => n + t.unread, 0),
  };
}

// What the chat client shows (the snapshot the components render), what it needs from the
// page, and what it offers. The implementation is chat-client.ts.
import type { ChatMessage, Limits, PrivateMessage } from '@anime-universe/protocol';
import type { ConnectionDeps, ConnectionState } from './connection.ts';
import type * as box from './outbox.ts';
import type { PostJson } from './room-grants.ts';
import type { PrivateView } from './private-chat.ts';
import type { Timeline } from './timeline.ts';

export interface ChatSnapshot {
  me?: { username: string; token: string };
  room: string;
  rooms: string[];
  online: number;
  connection: ConnectionState;
  timeline: Timeline;
  outbox: box.OutboxItem[];
  limits?: Limits;
  /** Loading older messages of this room (scrolling back). */
  older: 'idle' | 'loading' | 'failed';
  /** Unread messages per other room (from GET /rooms, refreshed every 20 s). */
  unread: Record<string, number>;
  /** Of those, the ones that mention me. */
  mentions: Record<string, number>;
  /** Names online in this room on this server, sorted (for mention suggestions). */
  names: string[];
  /** Others typing in this room now. */
  typing: string[];
  /** This room needs a passcode this browser has no grant for. */
  needsPasscode: boolean;
  /** The room needs a passcode (and this browser is in). */
  locked: boolean;
  /** Private threads, the open one, and whether this browser takes private messages. */
  private: PrivateView;
  /** The offset read last time this room was open: a "new messages" divider goes after it. */
  readBefore?: number;
  /** Slow mode in this room, in seconds (0: off). */
  slowMode: number;
  /** The server accepted this socket as a moderator's (exempt from slow mode). */
  moderating: boolean;
}

export interface ChatClientDeps extends Pick<ConnectionDeps, 'createSocket' | 'now' | 'random' | 'setTimer' | 'clearTimer' | 'heartbeatMs' | 'deadAfterMs'> {
  /** ws:// or wss:// origin of the server. */
  wsOrigin: string;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  newId(): string;
  onChange(): void;
  /** Called for each stored message from someone else (for screen-reader announcements). */
  onIncoming?(message: ChatMessage): void;
  /** A private message from someone else, not in the open thread. */
  onPrivate?(message: PrivateMessage): void;
  confirmTimeoutMs?: number;
  /** GETs a JSON document (older messages, search); defaults to fetch. */
  getJson?(url: string): Promise<unknown>;
  /** GETs a JSON document with a Bearer token (private threads); defaults to fetch. */
  getJsonWithToken?(url: string, token: string): Promise<unknown>;
  /** POSTs a JSON body and answers the status and JSON body; defaults to fetch. */
  postJson?: PostJson;
  /** The server refused a reaction or a new name of this browser (with its message, for the user). */
  onRefused?(message: string): void;
  /** Names this browser ignores (their private messages are dropped too). */
  isIgnored?(name: string): boolean;
  /** The moderator secret signed in on this browser, sent on every connection. */
  moderatorToken?(): string | undefined;
}

export interface ChatClient {
  start(): void;
  stop(): void;
  /** Queues a message (a reply to `replyTo`, a message of this room); returns an error code when the text cannot be sent at all. */
  send(text: string, replyTo?: ChatMessage): string | undefined;
  retry(clientId: string): void;
  discard(clientId: string): void;
  switchRoom(room: string): void;
  reconnectNow(): void;
  /** The browser reports no network: stop using the socket until it comes back. */
  networkLost(): void;
  /** Loads the page of messages before the oldest one shown (no-op while loading or at the start). */
  loadOlder(): void;
  /** The current room's messages matching every word of `query`, best first. */
  search(query: string): Promise<ChatMessage[]>;
  /** Loads older messages until the one at `offset` is shown; false when it cannot be. */
  reveal(offset: number): Promise<boolean>;
  /** Shows the private thread with a name instead of the room (closeThread goes back). */
  openThread(peer: string): void;
  closeThread(): void;
  /** Sends a private message in the open thread; an error code when it cannot go at all. */
  sendPrivate(text: string): string | undefined;
  /** Turns taking private messages on or off for this browser (reconnects). */
  setPrivateOff(off: boolean): void;
  /** Enters the current passcode room; the reason when refused. */
  enterPasscode(passcode: string): Promise<string | undefined>;
  /** Makes a new room that needs a passcode and goes there; the reason when refused. */
  createRoom(room: string, passcode: string): Promise<string | undefined>;
  /** Asks for a new anonymous name (the room sees "X is now Y"); false when not connected. */
  rename(): boolean;
  /** The user is typing: tells the room (at most every few seconds). */
  typing(): void;
  /** Asks the server for the names online in this room (once per connection), for mention suggestions. */
  loadNames(): void;
  /** Adds (`on`) or takes back a reaction to a message of this room; false when not connected. */
  react(offset: number, emoji: string, on: boolean): boolean;
  /** Shows a message of this room as removed at once (the server's redaction frame follows). */
  markRemoved(offset: number): void;
  /** Tells the server (again) that this socket is a moderator's, after signing in or out. */
  moderate(): void;
  snapshot(): ChatSnapshot;
}

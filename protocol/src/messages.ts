// Wire types: the chat message (as stored in Kafka and sent to clients) and every WebSocket frame.

/** The message a reply answers: its offset, author and the start of its text, as the server
 * found it when the reply was sent. `removed`: the original was removed since (no excerpt). */
export interface ReplyRef {
  offset: number;
  username: string;
  excerpt: string;
  removed?: true;
}

/** A message as Kafka stores it: the record value (UTF-8 JSON); the record key is `room`. */
export interface ChatRecord {
  id: string;
  room: string;
  username: string;
  text: string;
  /** UTC ISO-8601 with `Z`, set by the server that accepted the message. */
  timestamp: string;
  clientId?: string;
  /** This message replies to an earlier one of the room. */
  replyTo?: ReplyRef;
}

/** Emoji -> the names that reacted with it, in the order they did (absent: no reactions). */
export type Reactions = Record<string, string[]>;

/** A stored message as clients see it: the record plus its Kafka offset. */
export interface ChatMessage extends ChatRecord {
  /** Offset in the room's partition; grows with every message of the room. */
  offset: number;
  /** The message was removed (by its author or a moderator): its text is empty everywhere. */
  redacted?: true;
  /** Reactions as folded from the log up to now. */
  reactions?: Reactions;
}

/** A `reaction` record: `name` adds (`on`) or takes back `emoji` on the room's message at
 * `target` (an earlier offset). One per name, emoji and message: adding twice counts once. */
export interface ReactionRecord {
  type: 'reaction';
  id: string;
  room: string;
  target: number;
  emoji: string;
  name: string;
  on: boolean;
  clientId?: string;
  timestamp: string;
}

/** A `redaction` record: removes the room's message at `target` (an earlier offset). */
export interface RedactionRecord {
  type: 'redaction';
  id: string;
  room: string;
  target: number;
  /** Who removed it: `author`, or `moderator:<label>`. */
  by: string;
  reason?: string;
  timestamp: string;
}

/** A `timeout` record: `name` and/or `source` (a keyed hash of a client address) may not post
 * until `until`; a later record for the same name or source replaces it (an earlier `until`
 * lifts it). */
export interface TimeoutRecord {
  type: 'timeout';
  id: string;
  room: string;
  name?: string;
  source?: string;
  until: string;
  by: string;
  reason?: string;
  timestamp: string;
}

/** A `room-settings` record: the room's settings from now on (the latest record wins). */
export interface RoomSettingsRecord {
  type: 'room-settings';
  id: string;
  room: string;
  /** 0 (off) to 21,600 (6 h). */
  slowModeSeconds: number;
  by: string;
  timestamp: string;
}

/** A `room-passcode` record: the room needs a passcode from now on. Only a salted hash of it is
 * kept (never the passcode); the first record for a room wins. */
export interface RoomPasscodeRecord {
  type: 'room-passcode';
  id: string;
  room: string;
  hash: string;
  timestamp: string;
}

/** POST /rooms/:room/passcode and POST /rooms/:room/join: a grant to enter the room (send it as
 * `grant` on the socket URL, or the X-Room-Grant header over HTTP). */
export interface RoomGrant {
  room: string;
  grant: string;
}

/** A `dm` record: a private message between two names, keyed by `privateThread(from, to)` (a
 * key no room can take). Stored on the chat topic like everything else: private from other
 * chatters, not from whoever can read the Kafka cluster. */
export interface PrivateRecord {
  type: 'dm';
  id: string;
  from: string;
  to: string;
  text: string;
  timestamp: string;
  clientId?: string;
}

/** A stored private message with its offset (in its thread's partition). */
export type PrivateMessage = Omit<PrivateRecord, 'type'> & { offset: number };

/** A private message to or from this socket's name. */
export interface PrivateFrame {
  type: 'dm';
  message: PrivateMessage;
}

/** GET /private: this name's private threads, newest first. */
export interface PrivateThreads {
  threads: Array<{
    peer: string;
    latestOffset: number;
    /** The newest message's time. */
    at: string;
    /** Messages from the peer after the offset given in `read` for this peer (counted up to 99). */
    unread?: number;
  }>;
}

/** GET /private/:peer/messages: one page of a thread, oldest first. */
export interface PrivatePage {
  peer: string;
  messages: PrivateMessage[];
  atStart: boolean;
}

/** A chatter's report of a message, as kept on the reports topic. */
export interface MessageReport {
  id: string;
  room: string;
  offset: number;
  reason: string;
  /** The reporter's name. */
  by: string;
  at: string;
}

/** GET /moderation/reports: open reports, newest first, with the message as the server has it (null: not held). */
export interface OpenReport extends MessageReport {
  message: ChatMessage | null;
}

/** Someone reacted to a message (`on`), or took a reaction back. Fold it with `applyReaction`. */
export interface ReactionFrame {
  type: 'reaction';
  room: string;
  target: number;
  emoji: string;
  name: string;
  on: boolean;
}

/** Someone in the room is typing (sent at most every few seconds while they type; never stored). */
export interface TypingFrame {
  type: 'typing';
  room: string;
  name: string;
}

/** Someone took a new anonymous name ("X is now Y"). The socket that asked also gets its new
 * `token` (keep it: it proves the new name). */
export interface RenamedFrame {
  type: 'renamed';
  room: string;
  from: string;
  to: string;
  token?: string;
}

/** A message was removed: show it as removed wherever it is shown. */
export interface RedactionFrame {
  type: 'redaction';
  room: string;
  target: number;
  by: string;
}

export interface Limits {
  maxTextLength: number;
  maxFrameBytes: number;
  messagesPerSecond: number;
  burst: number;
  /** How long after sending an author may remove a message (DELETE with the chat token). */
  authorDeleteWindowMs?: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  username: string;
  room: string;
  token: string;
  history: ChatMessage[];
  /** Names online in the room; the names themselves come on request (`users` frame). */
  online: number;
  rooms: string[];
  /** The log's epoch. Offsets compare only within one epoch: resume with `since` and `epoch`. */
  epoch: string;
  /** True when the client asked to resume (`since`, same epoch) and gets exactly what it missed
   * (with `backfill`, partly in the `history` frames that follow). */
  recovered: boolean;
  /** Missed messages older than `history[0]` that follow in `history` frames (absent: none). */
  backfill?: number;
  /** Messages at or before a resume's `since` that changed while the client was away (removed,
   * or reactions), in their current state: replace the ones shown (absent: none). */
  updated?: ChatMessage[];
  /** Slow mode in this room: one message per this many seconds per name (absent: off). */
  slowModeSeconds?: number;
  /** The room needs a passcode (this socket came with a grant). */
  locked?: true;
  /** More than RESUME_WINDOW messages were missed: `history` and the backfill are the newest
   * RESUME_WINDOW, to replace what the client shows; older ones come through scrollback. */
  reset?: boolean;
  limits: Limits;
  serverTime: string;
}

export type ChatFrame = { type: 'chat' } & ChatMessage;

/** Missed messages that did not fit the welcome, sent right after it: newest page first, each
 * page oldest first and older than everything sent before it. `remaining` counts what follows. */
export interface HistoryFrame {
  type: 'history';
  room: string;
  messages: ChatMessage[];
  remaining: number;
}

/** Who joined and left the room since the last presence frame (at most about one a second). */
export interface PresenceFrame {
  type: 'presence';
  room: string;
  joined: string[];
  left: string[];
  online: number;
  timestamp: string;
}

/** One page of the names online in the room, sorted; ask again with `after: next` for more. */
export interface UsersFrame {
  type: 'users';
  room: string;
  users: string[];
  next?: string;
}

export interface ErrorFrame {
  type: 'error';
  code: string;
  message: string;
  clientId?: string;
  retryAfterMs?: number;
}

export interface PongFrame {
  type: 'pong';
  t?: number;
}

/** GET /rooms/:room/messages: one page of older messages. */
export interface HistoryPage {
  room: string;
  /** Oldest first. */
  messages: ChatMessage[];
  /** Nothing older is retained: the page reaches the beginning of the room. */
  atStart: boolean;
}

/** GET /rooms: the themed rooms, the busiest recent ones and those asked about. */
export interface RoomsInfo {
  rooms: Array<{
    room: string;
    /** The newest message's offset, or -1 when the room has none retained. */
    latestOffset: number;
    /** Connections in the room across all instances (within a few seconds). */
    online: number;
    /** Messages after the offset given in `read` for this room (counted up to 999). */
    unread?: number;
    /** Of those, the ones that mention the name given in `mention` (counted up to 99). */
    mentions?: number;
  }>;
}

/** GET /rooms/:room/search: the room's messages matching every word, best first. */
export interface SearchResults {
  room: string;
  query: string;
  results: ChatMessage[];
}

/** A room's settings changed (slow mode: one message per this many seconds per name; 0: off). */
export interface RoomSettingsFrame {
  type: 'room-settings';
  room: string;
  slowModeSeconds: number;
  by: string;
}

/** Answer to a `moderate` frame: this socket is a moderator's (exempt from slow mode). */
export interface ModeratingFrame {
  type: 'moderating';
  label: string;
}

export type ServerFrame = WelcomeFrame | ChatFrame | HistoryFrame | RedactionFrame | ReactionFrame | TypingFrame | RenamedFrame | PrivateFrame | RoomSettingsFrame | ModeratingFrame | PresenceFrame | UsersFrame | ErrorFrame | PongFrame;

export interface ClientChatFrame {
  type: 'chat';
  text: string;
  clientId?: string;
  /** The offset of the room's message this one replies to. */
  replyTo?: number;
  /**
   * This clientId was sent before without a confirmation (a reconnect, an error). The server then
   * makes sure the log does not already hold it, on whichever instance the first attempt went to.
   */
  retry?: boolean;
}

export interface ClientPingFrame {
  type: 'ping';
  t?: number;
}

export interface ClientUsersFrame {
  type: 'users';
  /** The `next` of the previous page. */
  after?: string;
}

/** Marks this socket as a moderator's, with a secret from MODERATOR_TOKENS. */
export interface ClientModerateFrame {
  type: 'moderate';
  token: string;
}

/** Adds (`on`) or takes back a reaction to the room's message at `target`. Idempotent: sending
 * it again (a retry) changes nothing. */
export interface ClientReactFrame {
  type: 'react';
  target: number;
  emoji: string;
  on: boolean;
  clientId?: string;
}

/** I am typing in this room (at most one every few seconds; more are ignored). */
export interface ClientTypingFrame {
  type: 'typing';
}

/** Asks for a new anonymous name (at most one every 30 s; not while timed out). */
export interface ClientRenameFrame {
  type: 'rename';
}

/** A private message to `to` (a name online, or one this name has a thread with). */
export interface ClientPrivateFrame {
  type: 'dm';
  to: string;
  text: string;
  clientId?: string;
  /** This clientId was sent before without a confirmation; as for `chat`, it is stored at most once. */
  retry?: boolean;
}

export type ClientFrame = ClientPrivateFrame | ClientChatFrame | ClientPingFrame | ClientUsersFrame | ClientModerateFrame | ClientReactFrame | ClientTypingFrame | ClientRenameFrame;

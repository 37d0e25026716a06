// Wire types: the chat message (as stored in Kafka and sent to clients) and every WebSocket frame.

/** A message as Kafka stores it: the record value (UTF-8 JSON); the record key is `room`. */
export interface ChatRecord {
  id: string;
  room: string;
  username: string;
  text: string;
  /** UTC ISO-8601 with `Z`, set by the server that accepted the message. */
  timestamp: string;
  clientId?: string;
}

/** A stored message as clients see it: the record plus its Kafka offset. */
export interface ChatMessage extends ChatRecord {
  /** Offset in the room's partition; grows with every message of the room. */
  offset: number;
}

export interface Limits {
  maxTextLength: number;
  maxFrameBytes: number;
  messagesPerSecond: number;
  burst: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  username: string;
  room: string;
  token: string;
  history: ChatMessage[];
  online: number;
  users: string[];
  rooms: string[];
  /** True when the client asked to resume (`since`) and history holds exactly what it missed. */
  recovered: boolean;
  limits: Limits;
  serverTime: string;
}

export type ChatFrame = { type: 'chat' } & ChatMessage;

export interface PresenceFrame {
  type: 'presence';
  event: 'join' | 'leave';
  room: string;
  username: string;
  online: number;
  timestamp: string;
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

export type ServerFrame = WelcomeFrame | ChatFrame | PresenceFrame | ErrorFrame | PongFrame;

export interface ClientChatFrame {
  type: 'chat';
  text: string;
  clientId?: string;
}

export interface ClientPingFrame {
  type: 'ping';
  t?: number;
}

export type ClientFrame = ClientChatFrame | ClientPingFrame;

// Encode/decode across the wire. The only JSON.parse of untrusted input lives here.
import type { ChatRecord, ClientFrame, PrivateRecord, ReactionRecord, ReplyRef, RoomPasscodeRecord, RedactionRecord, RoomSettingsRecord, ServerFrame, TimeoutRecord } from './messages.ts';
import { reactionEmoji } from './reactions.ts';
import { err, ok, type Result } from './result.ts';
import {
  isValidClientId,
  isValidRoom,
  isValidUsername,
  MAX_REASON_LENGTH,
  MAX_SLOW_MODE_SECONDS,
  MAX_EXCERPT_LENGTH,
  MAX_TEXT_LENGTH,
  normalizeText,
  textLength,
} from './rules.ts';

type Json = Record<string, unknown>;

const parseJson = (raw: string): Result<unknown> => {
  try {
    return ok(JSON.parse(raw) as unknown);
  } catch {
    return err('invalid_json', 'The body or frame is not valid JSON.');
  }
};
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses JSON text into a plain object, or reports `invalid_json` / `invalid_request`. */
export function decodeJsonObject(raw: string): Result<Json> {
  const parsed = parseJson(raw);
  if (!parsed.ok) return parsed;
  return isObject(parsed.value) ? ok(parsed.value) : err('invalid_request', 'Expected a JSON object.');
}

/** Applies the text rules: cleaned, 1-500 code points. Returns the cleaned text. */
export function decodeText(value: unknown): Result<string> {
  if (typeof value !== 'string') return err('invalid_request', '"text" must be a string.');
  const text = normalizeText(value);
  if (text.length === 0) return err('text_empty', 'Message text is empty.');
  if (textLength(text) > MAX_TEXT_LENGTH) {
    return err('text_too_long', `Message text is longer than ${MAX_TEXT_LENGTH} characters.`);
  }
  return ok(text);
}

/** Optional clientId: absent, or a short token the sender chose to make retries idempotent. */
export function decodeClientId(value: unknown): Result<string | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'string' || !isValidClientId(value)) {
    return err('invalid_client_id', 'clientId must be 1-64 letters, digits, "_" or "-".');
  }
  return ok(value);
}

/** Optional `replyTo`: absent, or the offset of the message replied to. */
export function decodeReplyTarget(value: unknown): Result<number | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return err('invalid_request', '"replyTo" must be the offset of a message of the room.');
  return ok(value);
}

function decodeReplyRef(value: unknown): ReplyRef | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if (typeof r.offset !== 'number' || !Number.isSafeInteger(r.offset) || r.offset < 0) return undefined;
  if (typeof r.username !== 'string' || !isValidUsername(r.username)) return undefined;
  if (typeof r.excerpt !== 'string' || textLength(r.excerpt) > MAX_EXCERPT_LENGTH) return undefined;
  return { offset: r.offset, username: r.username, excerpt: r.excerpt, ...(r.removed === true ? { removed: true as const } : {}) };
}

export function decodeClientFrame(raw: string | ArrayBuffer | Uint8Array): Result<ClientFrame> {
  if (typeof raw !== 'string') return err('invalid_request', 'Send JSON text frames, not binary.');
  const parsed = decodeJsonObject(raw);
  if (!parsed.ok) return parsed;
  const frame = parsed.value;
  switch (frame.type) {
    case 'chat': {
      const clientId = decodeClientId(frame.clientId);
      if (!clientId.ok) return clientId;
      const text = decodeText(frame.text);
      if (!text.ok) return { ok: false, error: { ...text.error, clientId: clientId.value } };
      if (frame.retry !== undefined && typeof frame.retry !== 'boolean') {
        return { ok: false, error: { code: 'invalid_request', message: '"retry" must be true or false.', clientId: clientId.value } };
      }
      const replyTo = decodeReplyTarget(frame.replyTo);
      if (!replyTo.ok) return { ok: false, error: { ...replyTo.error, clientId: clientId.value } };
      return ok({
        type: 'chat', text: text.value, clientId: clientId.value, ...(frame.retry === true && clientId.value ? { retry: true } : {}),
        ...(replyTo.value !== undefined ? { replyTo: replyTo.value } : {}),
      });
    }
    case 'ping':
      return ok({ type: 'ping', t: typeof frame.t === 'number' ? frame.t : undefined });
    case 'typing':
      return ok({ type: 'typing' });
    case 'dm': {
      const clientId = decodeClientId(frame.clientId);
      if (!clientId.ok) return clientId;
      if (typeof frame.to !== 'string' || !isValidUsername(frame.to)) return { ok: false, error: { code: 'invalid_username', message: '"to" must be a chat name.', clientId: clientId.value } };
      const text = decodeText(frame.text);
      if (!text.ok) return { ok: false, error: { ...text.error, clientId: clientId.value } };
      if (frame.retry !== undefined && typeof frame.retry !== 'boolean') {
        return { ok: false, error: { code: 'invalid_request', message: '"retry" must be true or false.', clientId: clientId.value } };
      }
      return ok({
        type: 'dm', to: frame.to, text: text.value, ...(clientId.value ? { clientId: clientId.value } : {}),
        ...(frame.retry === true && clientId.value ? { retry: true } : {}),
      });
    }
    case 'rename':
      return ok({ type: 'rename' });
    case 'react': {
      const clientId = decodeClientId(frame.clientId);
      if (!clientId.ok) return clientId;
      const fail = (code: 'invalid_request' | 'invalid_reaction', message: string): Result<ClientFrame> => ({ ok: false, error: { code, message, clientId: clientId.value } });
      if (typeof frame.target !== 'number' || !Number.isSafeInteger(frame.target) || frame.target < 0) return fail('invalid_request', '"target" must be the offset of a message.');
      const emoji = typeof frame.emoji === 'string' ? reactionEmoji(frame.emoji) : undefined;
      if (!emoji) return fail('invalid_reaction', '"emoji" must be one emoji.');
      if (typeof frame.on !== 'boolean') return fail('invalid_request', '"on" must be true (add) or false (take back).');
      return ok({ type: 'react', target: frame.target, emoji, on: frame.on, ...(clientId.value ? { clientId: clientId.value } : {}) });
    }
    case 'moderate':
      if (typeof frame.token !== 'string' || frame.token.length === 0 || frame.token.length > 300) return err('invalid_request', '"token" must be a moderator token.');
      return ok({ type: 'moderate', token: frame.token });
    case 'users':
      if (frame.after !== undefined && (typeof frame.after !== 'string' || !isValidUsername(frame.after))) {
        return err('invalid_request', '"after" must be the "next" name of the previous page.');
      }
      return ok({ type: 'users', after: frame.after });
    default:
      return err('invalid_request', 'Unknown frame type; expected "chat", "dm", "react", "typing", "rename", "ping", "users" or "moderate".');
  }
}

/** Kafka record value for a message. */
export function encodeChatRecord(record: ChatRecord): string {
  const { id, room, username, text, timestamp, clientId, replyTo } = record;
  return JSON.stringify({ id, room, username, text, timestamp, ...(clientId ? { clientId } : {}), ...(replyTo ? { replyTo } : {}) });
}

/**
 * A marker record: written to a room's partition to learn, once it is read back, that everything
 * stored there before it has been read too (a read barrier). Not a message; readers skip it.
 */
export function encodeMarkerRecord(room: string, at: Date): string {
  return JSON.stringify({ type: 'marker', room, timestamp: at.toISOString() });
}

export function isMarkerRecord(value: string): boolean {
  return value.startsWith('{"type":"marker"');
}

/** The record's string fields, each present, non-empty and at most 100 characters, or the first that is not. */
function missingString(r: Json, keys: readonly string[]): string | undefined {
  return keys.find((key) => typeof r[key] !== 'string' || r[key] === '' || (r[key] as string).length > 100);
}

export function encodeRedactionRecord(r: Omit<RedactionRecord, 'type'>): string {
  const { id, room, target, by, reason, timestamp } = r;
  return JSON.stringify(reason ? { type: 'redaction', id, room, target, by, reason, timestamp } : { type: 'redaction', id, room, target, by, timestamp });
}

export function isRedactionRecord(value: string): boolean {
  return value.startsWith('{"type":"redaction"');
}

/** Decodes a redaction record; anything malformed is rejected so the consumer can skip it. */
export function decodeRedactionRecord(value: string): Result<RedactionRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'redaction') return err('invalid_request', 'not a redaction record');
  const missing = missingString(r, ['id', 'room', 'by', 'timestamp']);
  if (missing) return err('invalid_request', `record field "${missing}" missing`);
  if (typeof r.target !== 'number' || !Number.isSafeInteger(r.target) || r.target < 0) return err('invalid_request', 'record target is not an offset');
  if (r.reason !== undefined && (typeof r.reason !== 'string' || r.reason.length > MAX_REASON_LENGTH)) return err('invalid_request', 'record reason is invalid');
  if (!isValidRoom(r.room as string)) return err('invalid_room', 'record room is not a valid room name');
  if (Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record timestamp is not a date');
  const { id, room, target, by, reason, timestamp } = r as unknown as RedactionRecord;
  return ok({ type: 'redaction', id, room, target, by, timestamp, ...(reason ? { reason } : {}) });
}

export function encodeReactionRecord(r: Omit<ReactionRecord, 'type'>): string {
  const { id, room, target, emoji, name, on, clientId, timestamp } = r;
  return JSON.stringify({ type: 'reaction', id, room, target, emoji, name, on, ...(clientId ? { clientId } : {}), timestamp });
}

export function isReactionRecord(value: string): boolean {
  return value.startsWith('{"type":"reaction"');
}

/** Decodes a reaction record; anything malformed is rejected so the consumer can skip it. */
export function decodeReactionRecord(value: string): Result<ReactionRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'reaction') return err('invalid_request', 'not a reaction record');
  const missing = missingString(r, ['id', 'room', 'name', 'emoji', 'timestamp']);
  if (missing) return err('invalid_request', `record field "${missing}" missing`);
  if (typeof r.target !== 'number' || !Number.isSafeInteger(r.target) || r.target < 0) return err('invalid_request', 'record target is not an offset');
  if (typeof r.on !== 'boolean') return err('invalid_request', 'record "on" is not true or false');
  if (reactionEmoji(r.emoji as string) !== r.emoji) return err('invalid_reaction', 'record emoji is not one emoji');
  if (!isValidRoom(r.room as string)) return err('invalid_room', 'record room is not a valid room name');
  if (!isValidUsername(r.name as string)) return err('invalid_username', 'record name is invalid');
  if (Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record timestamp is not a date');
  const clientId = decodeClientId(r.clientId);
  if (!clientId.ok) return clientId;
  const { id, room, target, emoji, name, on, timestamp } = r as unknown as ReactionRecord;
  return ok({ type: 'reaction', id, room, target, emoji, name, on, ...(clientId.value ? { clientId: clientId.value } : {}), timestamp });
}

export function encodePrivateRecord(r: Omit<PrivateRecord, 'type'>): string {
  const { id, from, to, text, timestamp, clientId } = r;
  return JSON.stringify({ type: 'dm', id, from, to, text, timestamp, ...(clientId ? { clientId } : {}) });
}

export function isPrivateRecord(value: string): boolean {
  return value.startsWith('{"type":"dm"');
}

export function decodePrivateRecord(value: string): Result<PrivateRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'dm') return err('invalid_request', 'not a dm record');
  for (const key of ['id', 'text', 'timestamp'] as const) if (typeof r[key] !== 'string' || r[key] === '') return err('invalid_request', `record field "${key}" missing`);
  if (typeof r.from !== 'string' || !isValidUsername(r.from) || typeof r.to !== 'string' || !isValidUsername(r.to) || r.from === r.to) return err('invalid_username', 'record names are invalid');
  if (Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record timestamp is not a date');
  const clientId = decodeClientId(r.clientId);
  if (!clientId.ok) return clientId;
  const { id, from, to, text, timestamp } = r as unknown as PrivateRecord;
  return ok({ type: 'dm', id, from, to, text, timestamp, ...(clientId.value ? { clientId: clientId.value } : {}) });
}

export function encodeRoomPasscodeRecord(r: Omit<RoomPasscodeRecord, 'type'>): string {
  const { id, room, hash, timestamp } = r;
  return JSON.stringify({ type: 'room-passcode', id, room, hash, timestamp });
}

export function isRoomPasscodeRecord(value: string): boolean {
  return value.startsWith('{"type":"room-passcode"');
}

export function decodeRoomPasscodeRecord(value: string): Result<RoomPasscodeRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'room-passcode') return err('invalid_request', 'not a room-passcode record');
  const missing = missingString(r, ['id', 'room', 'timestamp']);
  if (missing) return err('invalid_request', `record field "${missing}" missing`);
  if (typeof r.hash !== 'string' || !r.hash.startsWith('$argon2') || r.hash.length > 200) return err('invalid_request', 'record hash is not a password hash');
  if (!isValidRoom(r.room as string)) return err('invalid_room', 'record room is not a valid room name');
  if (Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record timestamp is not a date');
  const { id, room, hash, timestamp } = r as unknown as RoomPasscodeRecord;
  return ok({ type: 'room-passcode', id, room, hash, timestamp });
}

export function encodeRoomSettingsRecord(r: Omit<RoomSettingsRecord, 'type'>): string {
  return JSON.stringify({ type: 'room-settings', ...r });
}

export function isRoomSettingsRecord(value: string): boolean {
  return value.startsWith('{"type":"room-settings"');
}

export function decodeRoomSettingsRecord(value: string): Result<RoomSettingsRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'room-settings') return err('invalid_request', 'not a room-settings record');
  const missing = missingString(r, ['id', 'room', 'by', 'timestamp']);
  if (missing) return err('invalid_request', `record field "${missing}" missing`);
  const slow = r.slowModeSeconds;
  if (typeof slow !== 'number' || !Number.isInteger(slow) || slow < 0 || slow > MAX_SLOW_MODE_SECONDS) return err('invalid_request', 'record slow mode is invalid');
  if (!isValidRoom(r.room as string)) return err('invalid_room', 'record room is not a valid room name');
  if (Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record time is not a date');
  const { id, room, by, timestamp } = r as unknown as RoomSettingsRecord;
  return ok({ type: 'room-settings', id, room, slowModeSeconds: slow, by, timestamp });
}

export function encodeTimeoutRecord(r: Omit<TimeoutRecord, 'type'>): string {
  return JSON.stringify({ type: 'timeout', ...r });
}

export function isTimeoutRecord(value: string): boolean {
  return value.startsWith('{"type":"timeout"');
}

const SOURCE = /^[0-9a-f]{16}$/;

/** Decodes a timeout record; anything malformed is rejected so the consumer can skip it. */
export function decodeTimeoutRecord(value: string): Result<TimeoutRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.type !== 'timeout') return err('invalid_request', 'not a timeout record');
  const missing = missingString(r, ['id', 'room', 'by', 'until', 'timestamp']);
  if (missing) return err('invalid_request', `record field "${missing}" missing`);
  if (r.name !== undefined && (typeof r.name !== 'string' || !isValidUsername(r.name))) return err('invalid_username', 'record name is invalid');
  if (r.source !== undefined && (typeof r.source !== 'string' || !SOURCE.test(r.source))) return err('invalid_request', 'record source is invalid');
  if (r.name === undefined && r.source === undefined) return err('invalid_request', 'a timeout needs a name or a source');
  if (r.reason !== undefined && (typeof r.reason !== 'string' || r.reason.length > MAX_REASON_LENGTH)) return err('invalid_request', 'record reason is invalid');
  if (!isValidRoom(r.room as string)) return err('invalid_room', 'record room is not a valid room name');
  if (Number.isNaN(Date.parse(r.until as string)) || Number.isNaN(Date.parse(r.timestamp as string))) return err('invalid_request', 'record time is not a date');
  const { id, room, name, source, until, by, reason, timestamp } = r as unknown as TimeoutRecord;
  return ok({ type: 'timeout', id, room, ...(name ? { name } : {}), ...(source ? { source } : {}), until, by, ...(reason ? { reason } : {}), timestamp });
}

/** Decodes a Kafka record value; anything malformed is rejected so the consumer can skip it. */
export function decodeChatRecord(value: string): Result<ChatRecord> {
  const parsed = decodeJsonObject(value);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  const strings = ['id', 'room', 'username', 'text', 'timestamp'] as const;
  for (const key of strings) {
    if (typeof r[key] !== 'string' || r[key] === '') return err('invalid_request', `record field "${key}" missing`);
  }
  const record = r as unknown as ChatRecord;
  if (!isValidRoom(record.room)) return err('invalid_room', 'record room is not a valid room name');
  if (!isValidUsername(record.username)) return err('invalid_username', 'record username is invalid');
  if (Number.isNaN(Date.parse(record.timestamp))) return err('invalid_request', 'record timestamp is not a date');
  const clientId = decodeClientId(r.clientId);
  if (!clientId.ok) return clientId;
  const replyTo = r.replyTo === undefined ? undefined : decodeReplyRef(r.replyTo);
  if (r.replyTo !== undefined && !replyTo) return err('invalid_request', 'record replyTo is invalid');
  return ok({
    id: record.id, room: record.room, username: record.username, text: record.text, timestamp: record.timestamp, clientId: clientId.value,
    ...(replyTo ? { replyTo } : {}),
  });
}

export function encodeFrame(frame: ServerFrame | ClientFrame): string {
  return JSON.stringify(frame);
}

const SERVER_FRAME_TYPES = new Set<ServerFrame['type']>(['welcome', 'chat', 'history', 'redaction', 'reaction', 'typing', 'renamed', 'dm', 'room-settings', 'moderating', 'presence', 'users', 'error', 'pong']);

const serverFrame = (value: unknown): Result<ServerFrame> => {
  if (!isObject(value)) return err('invalid_request', 'Expected a JSON object.');
  const type = value.type;
  if (!SERVER_FRAME_TYPES.has(type as ServerFrame['type'])) {
    return err('invalid_request', `unknown server frame type ${String(type)}`);
  }
  return ok(value as unknown as ServerFrame);
};

/** For clients: parses a server frame, trusting the server's shape but not its JSON. */
export function decodeServerFrame(raw: string): Result<ServerFrame> {
  const parsed = decodeJsonObject(raw);
  if (!parsed.ok) return parsed;
  return serverFrame(parsed.value);
}

/**
 * Joins frames already encoded with `encodeFrame` into one WebSocket message: a single frame
 * stays as it is, several become a JSON array in their order (the server packs what it
 * publishes to one room in one tick, so a busy room costs one message per socket, not one per
 * frame). Never re-encodes the frames.
 */
export function packFrames(encoded: readonly string[]): string {
  return encoded.length === 1 ? (encoded[0] as string) : `[${encoded.join(',')}]`;
}

/**
 * For clients: the frames of one WebSocket message from the server, in order (one frame, or a
 * packed array of them). Unknown frame types inside a pack are skipped, as they would be alone;
 * text that is not JSON, or a pack of anything but objects, is an error.
 */
export function decodeServerFrames(raw: string): Result<ServerFrame[]> {
  const parsed = parseJson(raw);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value)) {
    const one = serverFrame(parsed.value);
    return one.ok ? ok([one.value]) : one;
  }
  const frames: ServerFrame[] = [];
  for (const item of parsed.value) {
    if (!isObject(item)) return err('invalid_request', 'A packed frame must be a JSON object.');
    const frame = serverFrame(item);
    if (frame.ok) frames.push(frame.value);
  }
  return ok(frames);
}

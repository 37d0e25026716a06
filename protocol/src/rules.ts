// Input rules shared by server and client: text cleanup and limits, room and name formats.
import type { ReplyRef } from './messages.ts';

export const MAX_TEXT_LENGTH = 500;
export const MAX_ROOM_LENGTH = 32;
/** The longest reason a moderation action may carry. */
export const MAX_REASON_LENGTH = 200;
/** The longest slow mode a room may have: 6 hours. */
export const MAX_SLOW_MODE_SECONDS = 21_600;
/** The most missed messages a resume sends; further behind, the client starts from the newest ones
 * and scrolls back for older (clients keep at least this many in view). */
export const RESUME_WINDOW = 2000;

// C0/C1 controls except tab and newline, plus bidi overrides and marks that can disguise text.
const UNWANTED = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const ROOM = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const USERNAME = /^[A-Za-z0-9_-]{2,32}$/;
/** Words a mention could use to mean a crowd: never anyone's name. */
const RESERVED_NAMES = new Set(['everyone', 'here', 'all', 'channel', 'room']);
const CLIENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

// More than this many combining marks on one character ("zalgo" text) are dropped.
const MAX_MARKS = 3; // some scripts (Hebrew points, Thai tones) use up to three
const MARK_RUN = new RegExp(`(\\p{M}{${MAX_MARKS}})\\p{M}+`, 'gu');

/** Normalises line ends, removes control characters, trims stacked combining marks to three per
 * character, trims. Never interprets HTML. */
export function normalizeText(raw: string): string {
  return raw.toWellFormed().replace(/\r\n?/g, '\n').replace(UNWANTED, '').replace(MARK_RUN, '$1').trim();
}

/** Length in Unicode code points, the unit of the 500-character limit. */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A room passcode's length, in code points. */
export const MIN_PASSCODE_LENGTH = 4;
export const MAX_PASSCODE_LENGTH = 64;

/** The longest excerpt of the original a reply quotes, in code points. */
export const MAX_EXCERPT_LENGTH = 100;

/** The start of a message's text as a reply quotes it: one line, at most 100 characters. */
export function replyExcerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= MAX_EXCERPT_LENGTH ? line : `${chars.slice(0, MAX_EXCERPT_LENGTH - 1).join('').trimEnd()}…`;
}

/** A reply whose original was removed: the quote keeps who and where, not the words. Same object when it quotes another message. */
export function quoteRemoved<M extends { replyTo?: ReplyRef }>(m: M, removed: number): M {
  if (m.replyTo?.offset !== removed || m.replyTo.removed) return m;
  return { ...m, replyTo: { offset: removed, username: m.replyTo.username, excerpt: '', removed: true } };
}

/** The record key of the private thread between two names: the same both ways, and no room's
 * (rooms cannot contain "~" or ":"). */
export function privateThread(a: string, b: string): string {
  return `~dm:${[a, b].sort().join(':')}`;
}

export function isValidRoom(room: string): boolean {
  return room.length <= MAX_ROOM_LENGTH && ROOM.test(room);
}

export function isValidUsername(name: string): boolean {
  return USERNAME.test(name) && !RESERVED_NAMES.has(name.toLowerCase());
}

export function isValidClientId(id: string): boolean {
  return CLIENT_ID.test(id);
}

// Flood and spam control for one instance, before a message goes to the log: the same text
// (after normalisation) over and over, too many links or mentions in one message, and new
// arrivals who post at once or post links before they have been here a while. Each refusal is
// a strike against the sender's source (or name); enough strikes in a minute and the caller
// times the sender out on the log, which every instance then enforces.
import { mentionedNames, type ErrorCode } from '@anime-universe/protocol';
import { keepNewest } from './bounded-map.ts';

export interface FloodSettings {
  /** The same text this many times within repeatWindowMs is refused. */
  repeatLimit: number;
  repeatWindowMs: number;
  maxLinks: number;
  maxMentions: number;
  /** A WebSocket chatter waits this long after arriving before the first message... */
  newArrivalWaitMs: number;
  /** ...and this long before posting links. */
  newArrivalLinkWaitMs: number;
  /** This many refusals within a minute time the sender out. */
  strikes: number;
}

export type FloodVerdict =
  | { ok: true }
  | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number; escalate: boolean };

const LINK = /\b(?:https?:\/\/|www\.)\S+/giu;
const STRIKE_WINDOW_MS = 60_000;
const MAX_TRACKED = 20_000;

/** The text as compared for repeats: look-alike forms folded, case and spacing and punctuation ignored. */
export function repeatKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
}

/** A Map that forgets its oldest entries past a bound. */
function bounded<V>() {
  const map = new Map<string, V>();
  return {
    get: (k: string) => map.get(k),
    set(k: string, v: V) {
      map.delete(k);
      map.set(k, v);
      keepNewest(map, MAX_TRACKED);
    },
  };
}

export function makeFloodGuard(s: FloodSettings) {
  const recent = bounded<Array<{ key: string; at: number }>>(); // per sender: recent texts
  const strikes = bounded<number[]>(); // per sender: refusal times
  const arrivals = bounded<number>(); // per source: first seen (WebSocket)

  const strike = (who: string, now: number): boolean => {
    const times = (strikes.get(who) ?? []).filter((t) => now - t < STRIKE_WINDOW_MS);
    times.push(now);
    strikes.set(who, times);
    return times.length >= s.strikes;
  };
  const refuse = (who: string, now: number, code: ErrorCode, message: string, retryAfterMs?: number): FloodVerdict =>
    ({ ok: false, code, message, ...(retryAfterMs ? { retryAfterMs } : {}), escalate: strike(who, now) });

  return {
    /** A WebSocket chatter from this source arrived (the first arrival counts). */
    arrived(source: string, now = Date.now()) {
      if (arrivals.get(source) === undefined) arrivals.set(source, now);
    },
    check(req: { username: string; source?: string; text: string; viaSocket: boolean }, now = Date.now()): FloodVerdict {
      const who = req.source ?? `name:${req.username}`;
      const links = req.text.match(LINK)?.length ?? 0;
      if (req.viaSocket && req.source) {
        const here = now - (arrivals.get(req.source) ?? now);
        if (here < s.newArrivalWaitMs) {
          const wait = s.newArrivalWaitMs - here;
          return { ok: false, code: 'new_arrival', message: `Welcome! You can post in ${Math.ceil(wait / 1000)} s.`, retryAfterMs: wait, escalate: false };
        }
        if (links > 0 && here < s.newArrivalLinkWaitMs) {
          const wait = s.newArrivalLinkWaitMs - here;
          return refuse(who, now, 'links_not_yet', `New here: you can post links in ${Math.ceil(wait / 1000)} s.`, wait);
        }
      }
      if (links > s.maxLinks) return refuse(who, now, 'too_many_links', `At most ${s.maxLinks} links in one message.`);
      if (mentionedNames(req.text).length > s.maxMentions) return refuse(who, now, 'too_many_mentions', `At most ${s.maxMentions} mentions in one message.`);
      const key = repeatKey(req.text);
      const texts = (recent.get(who) ?? []).filter((t) => now - t.at < s.repeatWindowMs);
      if (key !== '' && texts.filter((t) => t.key === key).length >= s.repeatLimit - 1) {
        recent.set(who, texts);
        return refuse(who, now, 'repeated_text', 'You just sent that; say something new.');
      }
      texts.push({ key, at: now });
      recent.set(who, texts.slice(-20));
      return { ok: true };
    },
  };
}

export type FloodGuard = ReturnType<typeof makeFloodGuard>;

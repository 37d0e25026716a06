// Reactions: which emoji count, and how a reaction changes a message's reactions. The same fold
// runs on every server instance (cache and read model) and in the browser, so the counts agree
// wherever the log is read in order.
import type { Reactions } from './messages.ts';

/** The most different emoji on one message; a new kind beyond it is refused. */
export const MAX_REACTION_KINDS = 12;
/** The most names one emoji on one message keeps; more are refused. */
export const MAX_REACTORS = 500;
/** Offered first in the picker (any other single emoji works too). */
export const DEFAULT_REACTIONS = ['👍', '❤️', '😂', '😮', '😭', '🔥', '✨', '🌸', '🍥', '🙏'] as const;

// Unicode sets mode (the `v` flag) knows emoji sequences; built at run time so older build targets keep it as is.
const EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');

/** One emoji as Unicode defines it (flags, skin tones and joined sequences included), nothing else.
 * A bare heart or other text-style symbol is accepted with its emoji presentation selector added. */
export function reactionEmoji(raw: string): string | undefined {
  const s = raw.trim();
  if (s.length === 0 || s.length > 32) return undefined;
  if (EMOJI.test(s)) return s;
  const emojiStyle = `${s}\uFE0F`;
  return EMOJI.test(emojiStyle) ? emojiStyle : undefined;
}

/** Why a reaction cannot be added: `kinds` (too many different emoji), `reactors` (too many names). */
export function reactionRefusal(reactions: Reactions | undefined, emoji: string): 'kinds' | 'reactors' | undefined {
  const names = reactions?.[emoji];
  if (!names) return Object.keys(reactions ?? {}).length >= MAX_REACTION_KINDS ? 'kinds' : undefined;
  return names.length >= MAX_REACTORS ? 'reactors' : undefined;
}

/**
 * `name` adds (`on`) or takes back its `emoji`. Returns the new reactions, or the same object
 * when nothing changes (already so, or over a limit), so a retried toggle counts once. Names stay
 * in the order they reacted; an emoji nobody uses any more disappears.
 */
export function applyReaction(reactions: Reactions | undefined, emoji: string, name: string, on: boolean): Reactions | undefined {
  const names = reactions?.[emoji] ?? [];
  const has = names.includes(name);
  if (on === has) return reactions;
  if (on) {
    if (reactionRefusal(reactions, emoji)) return reactions;
    return { ...reactions, [emoji]: [...names, name] };
  }
  const left = names.filter((n) => n !== name);
  const next = { ...reactions };
  if (left.length > 0) next[emoji] = left;
  else delete next[emoji];
  return Object.keys(next).length > 0 ? next : undefined;
}

/** How many names reacted with each emoji, in the order the emoji first appeared. */
export const reactionCounts = (reactions: Reactions | undefined): Array<{ emoji: string; count: number; names: readonly string[] }> =>
  Object.entries(reactions ?? {}).map(([emoji, names]) => ({ emoji, count: names.length, names }));

// What a message's reaction chips say: count, whether I am among them, and who reacted
// ("Aki, Rin and 3 others"). Pure, for the component and its tests.
import { reactionCounts, type Reactions } from '@anime-universe/protocol';

export interface ReactionChip {
  emoji: string;
  count: number;
  mine: boolean;
  /** Who reacted, for the hover and long-press list. */
  who: string;
}

const NAMED = 10;

export function whoReacted(names: readonly string[], me: string | undefined): string {
  const shown = names.slice(0, NAMED).map((n) => (n === me ? 'you' : n));
  const more = names.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} ${more === 1 ? 'other' : 'others'}`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

export function reactionChips(reactions: Reactions | undefined, me: string | undefined): ReactionChip[] {
  return reactionCounts(reactions).map(({ emoji, count, names }) => ({ emoji, count, mine: me !== undefined && names.includes(me), who: whoReacted(names, me) }));
}

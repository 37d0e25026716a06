// The names online in the open room, as the server lists them (`users` pages, asked for once
// per connection when the user starts a mention) and presence frames change them: for @mention
// suggestions.
import type { PresenceFrame } from '@anime-universe/protocol';

/** Pages asked for after a welcome (200 names each): enough to suggest from in a big room. */
const MAX_PAGES = 5;

export function makeOnlineNames() {
  const names = new Set<string>();
  let pages = 0;
  let asked = false;
  let sorted: string[] = [];
  const changed = () => void (sorted = [...names].sort((a, b) => a.localeCompare(b)));
  return {
    reset() {
      names.clear();
      pages = 0;
      sorted = [];
      asked = false;
    },
    asked: () => asked,
    ask: () => void (asked = true),
    /** A page arrived; true when another may be asked for. */
    page(users: readonly string[]): boolean {
      for (const u of users) names.add(u);
      changed();
      return ++pages < MAX_PAGES;
    },
    presence(p: Pick<PresenceFrame, 'joined' | 'left'>) {
      for (const u of p.joined) names.add(u);
      for (const u of p.left) names.delete(u);
      changed();
    },
    /** Sorted; the same array until the names change. */
    list: () => sorted,
  };
}

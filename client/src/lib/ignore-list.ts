// Names this browser has chosen to ignore: their messages show as a small placeholder. Kept in
// localStorage only (nothing goes to the server), so it survives reloads. Tolerates a damaged
// entry (starts empty) and keeps at most MAX_IGNORED names, dropping the oldest.
import { isValidUsername } from '@anime-universe/protocol';

export const IGNORE_KEY = 'anime-universe.ignored';
export const MAX_IGNORED = 500;

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export interface IgnoreList {
  has(name: string): boolean;
  /** Ignores the name, or stops ignoring it; returns whether it is ignored now. */
  toggle(name: string): boolean;
  names(): string[];
}

function load(storage: Storage): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(IGNORE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((n): n is string => typeof n === 'string' && isValidUsername(n)).slice(-MAX_IGNORED) : [];
  } catch {
    return [];
  }
}

export function makeIgnoreList(storage: Storage): IgnoreList {
  let names = load(storage);
  let set = new Set(names);
  const save = () => {
    set = new Set(names);
    try {
      storage.setItem(IGNORE_KEY, JSON.stringify(names));
    } catch {
      // storage full or blocked: the list still works until the page closes
    }
  };
  return {
    has: (name) => set.has(name),
    toggle(name) {
      if (set.has(name)) names = names.filter((n) => n !== name);
      else names = [...names, name].slice(-MAX_IGNORED);
      save();
      return set.has(name);
    },
    names: () => [...names],
  };
}

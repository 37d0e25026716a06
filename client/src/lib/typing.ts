// Who is typing in the open room (from `typing` frames, each good for a few seconds or until
// that name's message arrives), how to say it, and pacing my own signals. Pure but for the clock.
export const TYPING_SHOWN_MS = 6000;
/** My own signals go at most this often while I type (the server drops closer ones). */
export const TYPING_SEND_EVERY_MS = 3000;

export function makeTypers(now: () => number) {
  const until = new Map<string, number>();
  let sentAt = 0;
  return {
    /** `name` is typing; returns when the indicator ends unless renewed. */
    typing(name: string): number {
      const end = now() + TYPING_SHOWN_MS;
      until.set(name, end);
      return end;
    },
    /** Their message arrived, or the room changed. */
    done(name?: string) {
      if (name === undefined) until.clear();
      else until.delete(name);
    },
    /** Names typing now, in the order they started. */
    names(): string[] {
      const t = now();
      for (const [name, end] of until) if (end <= t) until.delete(name);
      return [...until.keys()];
    },
    /** Whether my own signal should go now (and notes that it went). */
    shouldSend(): boolean {
      if (now() - sentAt < TYPING_SEND_EVERY_MS) return false;
      sentAt = now();
      return true;
    },
  };
}

/** "Aki is typing…", "Aki and Rin are typing…", "Several people are typing…", or nothing. */
export function typingLine(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

// Checks what one client saw against the room's records read back from Kafka. A client's view
// is the sequence of welcomes (with their `recovered` flag) and message offsets as they arrived
// on the wire, history and live alike. Every stored message after the client's first one must
// appear once, in offset order; a message may be missing only where a welcome said
// `recovered: false` before the next message arrived (the client shows a gap there).

export type Seen = { kind: 'welcome'; recovered: boolean } | { kind: 'message'; offset: number };

export interface ViewReport {
  /** Messages that arrived more than once. */
  shownTwice: number;
  /** Messages that arrived after a later one. */
  reordered: number;
  /** Stored messages skipped without a `recovered: false` welcome. */
  silentGaps: number;
  /** Stored messages skipped after the client was told (`recovered: false`). */
  toldGaps: number;
  /** Messages the client saw that are not in the log. */
  phantoms: number;
  /** The first problem, for the failure message. */
  first?: string;
}

/** How many of the sorted `stored` offsets lie strictly between `low` and `high`. */
function countBetween(stored: readonly number[], low: number, high: number): number {
  const firstAbove = (x: number) => {
    let lo = 0;
    let hi = stored.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((stored[mid] as number) <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return Math.max(0, firstAbove(high - 1) - firstAbove(low));
}

/** `stored`: the offsets of the room's records in the log, ascending. */
export function checkView(seen: readonly Seen[], stored: readonly number[]): ViewReport {
  const report: ViewReport = { shownTwice: 0, reordered: 0, silentGaps: 0, toldGaps: 0, phantoms: 0 };
  const inLog = new Set(stored);
  const got = new Set<number>();
  const problem = (text: string) => (report.first ??= text);
  let last = -1;
  let told = false;
  for (const s of seen) {
    if (s.kind === 'welcome') {
      if (!s.recovered) told = true;
      continue;
    }
    const o = s.offset;
    if (!inLog.has(o)) {
      report.phantoms++;
      problem(`offset ${o} is not a record of the room`);
    }
    if (got.has(o)) {
      report.shownTwice++;
      problem(`offset ${o} arrived twice`);
      continue;
    }
    got.add(o);
    if (o < last) {
      report.reordered++;
      problem(`offset ${o} arrived after ${last}`);
      continue;
    }
    const skipped = last < 0 ? 0 : countBetween(stored, last, o);
    if (skipped > 0 && told) report.toldGaps += skipped;
    else if (skipped > 0) {
      report.silentGaps += skipped;
      problem(`${skipped} stored message(s) between ${last} and ${o} never arrived, and no welcome said recovered: false`);
    }
    last = o;
    told = false;
  }
  // The tail: everything stored after the newest message seen is missing too.
  const tail = last < 0 ? 0 : countBetween(stored, last, Number.MAX_SAFE_INTEGER);
  if (tail > 0) {
    report.silentGaps += tail;
    problem(`${tail} stored message(s) after ${last} never arrived`);
  }
  return report;
}

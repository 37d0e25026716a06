// Keeps an insertion-ordered Map (oldest first) under a maximum size.

/**
 * When `map` holds more than `max` entries, drops the oldest ones down to about nine tenths
 * of `max` in one pass. Dropping one key per insert from a fresh iterator walks over every
 * deleted slot at the head of the Map in JavaScriptCore (measured: 16 µs per insert at 50,000
 * entries, about 1.5 µs this way); it showed in the profile at 10,000 messages a second.
 */
export function keepNewest<K, V>(map: Map<K, V>, max: number): void {
  if (map.size <= max) return;
  let drop = map.size - max + Math.floor(max / 10);
  for (const key of map.keys()) {
    if (drop-- <= 0) break;
    map.delete(key);
  }
}

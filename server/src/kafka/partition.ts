// Which partition a room's records go to: murmur2 of the key, as Kafka's Java client and kafkajs's
// default partitioner compute it. The publisher names the partition itself so one send can carry
// many rooms and still tell every message its own offset.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const encoder = new TextEncoder();

export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i]! & 0xff) | ((data[i + 1]! & 0xff) << 8) | ((data[i + 2]! & 0xff) << 16) | ((data[i + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  switch (length & 3) {
    case 3:
      h ^= (data[whole + 2]! & 0xff) << 16;
    // falls through
    case 2:
      h ^= (data[whole + 1]! & 0xff) << 8;
    // falls through
    case 1:
      h ^= data[whole]! & 0xff;
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionFor(key: string, partitions: number): number {
  return (murmur2(encoder.encode(key)) & 0x7fffffff) % partitions;
}

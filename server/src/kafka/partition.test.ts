import { describe, expect, it } from 'bun:test';
import { Partitioners } from 'kafkajs';
import { partitionFor } from './partition.ts';

describe('partitionFor', () => {
  it('puts every key where kafkajs (and the Java client) would', () => {
    const kafkajs = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 7, 64]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, i) => ({ partitionId: i, leader: 1, replicas: [1], isr: [1] }));
      for (let i = 0; i < 500; i++) {
        const key = i % 3 === 0 ? `room-${i}` : i % 3 === 1 ? `r${'x'.repeat(i % 11)}` : `ルーム-${i}`;
        const expected = kafkajs({ topic: 't', partitionMetadata: partitionMetadata as never, message: { key, value: '' } });
        expect(partitionFor(key, partitions)).toBe(expected);
      }
    }
  });
});

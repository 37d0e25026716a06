// The narrow interface the rest of the server uses for Kafka: publish a message, receive every
// stored message in order, report health. Only kafka/ imports kafkajs.
import type { ChatMessage, ChatRecord } from '@anime-universe/protocol';
import type { KafkaInspection } from './inspect.ts';
import type { InstanceStats } from './instance-stats.ts';

export type KafkaState = 'connecting' | 'ready' | 'unavailable';

export interface ChatLogStatus {
  state: KafkaState;
  /** Why the log is not ready, for /health. */
  reason?: string;
  /** True once the consumer has read up to the end of the log as it was at start. */
  caughtUp: boolean;
  since: string;
}

export interface ChatLogHandlers {
  /** Called once per stored message, in Kafka order per room. Must not throw. */
  onMessage(message: ChatMessage, partition: number): void;
  /** Where this instance starts reading each partition (history below it is unknown). */
  onPartitionStarts(starts: ReadonlyMap<number, number>): void;
  /** This instance's connections, published for the other instances' monitors. */
  instanceStats(): Omit<InstanceStats, 'id' | 'at'>;
}

export interface ChatLog {
  /** Resolves once Kafka has acknowledged the record on all in-sync replicas. */
  publish(record: ChatRecord): Promise<{ partition: number; offset: number }>;
  status(): ChatLogStatus;
  /** Partitions, consumer groups and lag, for the monitor. Rejects when Kafka is unreachable. */
  inspect(): Promise<KafkaInspection>;
  /** This instance's consumer lag per partition, from the latest health probe. */
  lag(): Record<number, number>;
  /** The server instances on this topic with their connections per room. */
  instances(): InstanceStats[];
  /** Whether another server instance has `name` online (learned within seconds). */
  onlineElsewhere(name: string): boolean;
  /** Flushes pending publishes and leaves the cluster. */
  stop(): Promise<void>;
}

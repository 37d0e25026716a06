// The narrow interfaces the rest of the server uses for Kafka, split by job: the chat message
// log, the directory of server instances, and the inspector behind the monitor. Only kafka/
// imports kafkajs.
import type { ChatMessage, ChatRecord, PrivateMessage, PrivateRecord, ReactionRecord, RedactionRecord, RoomPasscodeRecord, RoomSettingsRecord, TimeoutRecord } from '@anime-universe/protocol';
import type { KafkaInspection } from './inspect.ts';
import type { InstanceStats, OwnState } from './instance-directory.ts';

export type { InstanceStats, KafkaInspection };

export type KafkaState = 'connecting' | 'ready' | 'unavailable';

export interface LogStatus {
  state: KafkaState;
  /** Why the log is not ready, for /health. */
  reason?: string;
  /** True once the consumer has read up to the end of the log as it was at start. */
  caughtUp: boolean;
  /** How far catching up has come, 0 to 1. */
  progress?: number;
  since: string;
}

export interface Stored {
  partition: number;
  offset: number;
}

/** `unavailable`: not stored. `busy`: not stored, queue full. `unknown`: sent, may be stored. */
export type PublishFailure = 'unavailable' | 'busy' | 'unknown';

export class PublishError extends Error {
  constructor(readonly kind: PublishFailure, message: string) {
    super(message);
  }
}

export interface Publication {
  /** Settles by the publish deadline: stored, or a PublishError saying what is known. */
  answer: Promise<Stored>;
  /** The final outcome however long Kafka takes; rejects when it will never be known. */
  outcome: Promise<Stored>;
}

/** A room event other than a message, as read from the log at `offset`. */
export type LogEvent =
  /** The message at `target` is removed. */
  | { kind: 'redaction'; room: string; target: number; by: string; offset: number }
  /** `name` adds (`on`) or takes back `emoji` on the message at `target`. */
  | { kind: 'reaction'; room: string; target: number; emoji: string; name: string; on: boolean; offset: number }
  /** `name` and/or `source` may not post until `until` (ms since the epoch); the latest record wins. */
  | { kind: 'timeout'; room: string; name?: string; source?: string; until: number; by: string; offset: number }
  /** A private message between two names (`room` is the thread's key, never a room's). */
  | { kind: 'dm'; room: string; message: PrivateMessage; offset: number }
  /** The room needs a passcode matching `hash` (the first such record of a room wins). */
  | { kind: 'passcode'; room: string; hash: string; offset: number }
  /** The room's settings from now on. */
  | { kind: 'settings'; room: string; slowModeSeconds: number; by: string; offset: number };

export type Redaction = Extract<LogEvent, { kind: 'redaction' }>;
export type Timeout = Extract<LogEvent, { kind: 'timeout' }>;
export type Reaction = Extract<LogEvent, { kind: 'reaction' }>;

/** The messages of one partition from one fetch, in offset order; `through` is the last offset
 * the fetch covered (records that did not decode are skipped but still covered). Redactions in
 * the fetch come separately; each removes an earlier message, so apply them after the messages. */
export type BatchListener = (partition: number, messages: ChatMessage[], through: number, events: readonly LogEvent[]) => void;

/** A durable view of the log kept with its own positions (the read model), fed batch by batch. */
export interface DurableView {
  /** Opens the view of this topic and epoch; returns where it stopped per partition (empty: new). */
  open(topic: string, epoch: string): Promise<ReadonlyMap<number, number>>;
  /** A new view starting at these offsets. */
  begin(starts: ReadonlyMap<number, number>): Promise<void>;
  /** Consumed batches with their partitions' new positions, stored together in one transaction;
   * resolves once committed. Batches are stored in the order given. */
  apply(batches: Array<{ partition: number; messages: readonly ChatMessage[]; through: number; events?: readonly LogEvent[] }>): Promise<void>;
}

export interface MessageLog {
  publish(record: ChatRecord): Publication;
  /** Writes a redaction record to the room's partition. */
  redact(record: Omit<RedactionRecord, 'type'>): Publication;
  /** Writes a reaction record to the room's partition. */
  react(record: Omit<ReactionRecord, 'type'>): Publication;
  /** Writes a timeout record to the room's partition. */
  timeOut(record: Omit<TimeoutRecord, 'type'>): Publication;
  /** Writes a private message to its thread's partition. */
  sendPrivate(record: Omit<PrivateRecord, 'type'>): Publication;
  /** Writes a room-passcode record to the room's partition. */
  lockRoom(record: Omit<RoomPasscodeRecord, 'type'>): Publication;
  /** Writes a room-settings record to the room's partition. */
  setRoom(record: Omit<RoomSettingsRecord, 'type'>): Publication;
  /** Every stored message reaches every listener once, in Kafka order per room. */
  subscribe(listener: BatchListener): void;
  /**
   * A read barrier for a room: writes a marker to the room's partition and resolves once this
   * instance has read past it, so every record stored there before the call (by any instance)
   * has reached the listeners. Rejects when the marker cannot be written.
   */
  barrier(room: string): Promise<void>;
  /** The offset this instance started reading `partition` at (history below it is unknown). */
  partitionStart(partition: number): number;
  /** How many partitions the topic has (0 before connecting). */
  partitions(): number;
  /** The log's epoch: changes when the topic is recreated, so old offsets mean nothing. */
  epoch(): string;
  status(): LogStatus;
  /** This instance's consumer lag per partition, from the latest health probe. */
  lag(): Record<number, number>;
}

export interface InstanceDirectoryView {
  /** Starts publishing this instance's connections and names for the others. */
  announce(own: () => OwnState): void;
  /** The server instances on this topic with their connections per room. */
  list(): InstanceStats[];
  /** Whether another server instance has `name` online (learned within seconds). */
  onlineElsewhere(name: string): boolean;
  /** Names other server instances have online in `room` (learned within a second or two). */
  namesIn(room: string): ReadonlySet<string>;
}

export interface KafkaInspector {
  /** Partitions, consumer groups and lag. Rejects when Kafka is unreachable. */
  inspect(): Promise<KafkaInspection>;
}

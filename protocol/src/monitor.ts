// The shape of GET /monitor.json, shared with the monitor page.

export interface MonitorData {
  generatedAt: string;
  instance: {
    id: string;
    uptimeSeconds: number;
    connections: number;
    rooms: Record<string, number>;
    lag: Record<string, number>;
    kafka: { state: string; reason?: string; caughtUp: boolean; since: string };
  };
  /** Every server instance on the topic, from "<topic>.instances". */
  instances: Array<{ id: string; connections: number; rooms: Record<string, number>; otherRooms?: number; at: string }>;
  kafka:
    | {
        ok: true;
        topic: string;
        brokers: number;
        partitions: Array<{ partition: number; low: number; high: number }>;
        groups: Array<{ groupId: string; state: string; members: number; lag: number }>;
      }
    | { ok: false; error: string };
  /** The latest moderation records this instance read, newest first (no chatter names). */
  moderation: ModerationAction[];
  metrics: {
    produced: number;
    produceFailures: number;
    consumed: number;
    latency: { count: number; sumMs: number; p50: number; p95: number; p99: number };
    perSecond: number[];
    errors: Record<string, number>;
    rateLimited: Record<string, number>;
  };
}

export interface ModerationAction {
  at: string;
  kind: 'redaction' | 'timeout' | 'settings';
  room: string;
  /** `author`, `moderator:<label>` or `auto:flood`. */
  by: string;
  /** What changed, without chatter names: "message 118", "a name and an address until …", "slow mode 30 s". */
  detail: string;
  /** The record's offset. */
  offset: number;
}

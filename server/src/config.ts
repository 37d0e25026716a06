// Reads and validates every environment variable in one place; returns a frozen Config.
import { parseTrustedProxies } from './http/client-address.ts';
import { parseOrigins } from './ws/origin.ts';
import { isValidRoom } from '@anime-universe/protocol';
import { existsSync } from 'node:fs';
import type { FloodSettings } from './chat/flood-guard.ts';

export interface Config {
  port: number;
  host: string;
  instanceId: string;
  kafka: {
    brokers: string[];
    topic: string;
    clientId: string;
    partitions: number;
    replicationFactor: number;
    retentionMs: number;
    sendTimeoutMs: number;
    /** Messages waiting for Kafka beyond this are refused at once (server_busy). */
    maxQueuedSends: number;
    /** A fetch answers once this many bytes are there, or after fetchMaxWaitMs. */
    fetchMinBytes: number;
    fetchMaxWaitMs: number;
    instanceStatsIntervalMs: number;
  };
  rooms: { default: string; themed: string[] };
  history: {
    perRoom: number;
    welcome: number;
    maxRooms: number;
    /** The read model's SQLite file (":memory:": a temporary file removed at stop, rebuilt at every start). */
    db: string;
  };
  presence: { intervalMs: number; rejoinGraceMs: number };
  /**
   * A busy room with at least minAudience sockets here sends its frames together at most once
   * per window (0: each at once).
   */
  fanout: { windowMs: number; minAudience: number };
  limits: {
    maxFrameBytes: number;
    /** A socket with more than this buffered is closed by the runtime (the client sees 1006). */
    backpressureBytes: number;
    maxBodyBytes: number;
    connPerSec: number;
    connBurst: number;
    ipPerSec: number;
    ipBurst: number;
    maxConnectionsPerIp: number;
    abuseStrikes: number;
  };
  tokenSecret: string;
  tokenSecretGenerated: boolean;
  /** When set, /monitor.json needs it as a Bearer token; unset, only loopback may read it. */
  monitorToken?: string;
  moderation: {
    /** Moderator secrets and their labels (MODERATOR_TOKENS=label:secret,...). */
    tokens: ReadonlyMap<string, string>;
    /** How long authors may remove their own messages. */
    authorDeleteWindowMs: number;
    flood: FloodSettings & { timeoutMinutes: number };
    /** A file of words and /patterns/ to mask or refuse. */
    wordlist?: string;
    wordlistAction: 'mask' | 'refuse';
  };
  /** Origins besides the server's own page that may open /ws/chat. */
  allowedOrigins: string[];
  /** Reverse proxies whose X-Forwarded-For / Forwarded is believed (empty: none). */
  trustedProxies: ReadonlySet<string>;
  clientDist: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** The names of every environment variable loadConfig reads (found by watching it read). */
export function configVariables(): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as Env, { get: (_t, key) => (typeof key === 'string' && seen.add(key), undefined) });
  loadConfig(env);
  return [...seen].sort();
}

const THEMED_ROOMS = 'lobby,shonen-arena,isekai-tavern,mecha-hangar,slice-of-life-cafe,spirit-forest';

export function loadConfig(env: Env = process.env): ConfigResult {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)}: expected a number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  const str = (name: string, fallback: string): string => env[name] || fallback;

  const brokers = str('KAFKA_BROKERS', '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
  for (const b of brokers) {
    if (!/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b)) problems.push(`KAFKA_BROKERS: "${b}" is not host:port`);
  }
  if (brokers.length === 0) problems.push('KAFKA_BROKERS: no broker given');

  const topic = str('KAFKA_TOPIC', 'anonymous-anime-universe');
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic)) problems.push(`KAFKA_TOPIC="${topic}": not a valid Kafka topic name`);

  const defaultRoom = str('DEFAULT_ROOM', 'lobby');
  if (!isValidRoom(defaultRoom)) problems.push(`DEFAULT_ROOM="${defaultRoom}": not a room slug (a-z, 0-9, dashes, max 32)`);
  const themed = str('ROOMS', THEMED_ROOMS).split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of themed) if (!isValidRoom(r)) problems.push(`ROOMS: "${r}" is not a room slug`);
  if (!themed.includes(defaultRoom)) themed.unshift(defaultRoom);

  const instanceId = str('INSTANCE_ID', crypto.randomUUID().slice(0, 8));
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(instanceId)) problems.push(`INSTANCE_ID="${instanceId}": use 1-64 letters, digits, ".", "_" or "-"`);

  const logLevel = str('LOG_LEVEL', 'info');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push(`LOG_LEVEL="${logLevel}": use debug, info, warn or error`);

  // MODERATOR_TOKENS: "label:secret" pairs (a bare secret gets the label "moderator").
  const moderatorTokens = new Map<string, string>();
  for (const entry of (env.MODERATOR_TOKENS ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const cut = entry.indexOf(':');
    const label = cut < 0 ? 'moderator' : entry.slice(0, cut);
    const secret = cut < 0 ? entry : entry.slice(cut + 1);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(label)) problems.push(`MODERATOR_TOKENS: label "${label}" must be 1-32 letters, digits, "_" or "-"`);
    else if (secret.length < 16) problems.push(`MODERATOR_TOKENS: the secret for "${label}" needs at least 16 characters`);
    else moderatorTokens.set(secret, label);
  }
  const wordlist = env.MODERATION_WORDLIST || undefined;
  if (wordlist && !existsSync(wordlist)) problems.push(`MODERATION_WORDLIST=${JSON.stringify(wordlist)}: no such file`);
  const wordlistAction = env.MODERATION_WORDLIST_ACTION ?? 'mask';
  if (wordlistAction !== 'mask' && wordlistAction !== 'refuse') problems.push('MODERATION_WORDLIST_ACTION: use "mask" or "refuse"');
  let tokenSecret = env.TOKEN_SECRET ?? '';
  const tokenSecretGenerated = tokenSecret === '';
  if (tokenSecretGenerated) tokenSecret = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  else if (tokenSecret.length < 32) problems.push('TOKEN_SECRET: use at least 32 characters');

  const origins = parseOrigins(env.ALLOWED_ORIGINS ?? '');
  problems.push(...origins.problems);
  const proxies = parseTrustedProxies(env.TRUST_PROXY ?? '');
  problems.push(...proxies.problems);

  const config: Config = {
    port: int('PORT', 3000, 0, 65535),
    host: str('HOST', '0.0.0.0'),
    instanceId,
    kafka: {
      brokers,
      topic,
      clientId: str('KAFKA_CLIENT_ID', 'anime-universe'),
      partitions: int('KAFKA_TOPIC_PARTITIONS', 3, 1, 1000),
      replicationFactor: int('KAFKA_REPLICATION_FACTOR', 1, 1, 10),
      retentionMs: int('KAFKA_RETENTION_MS', 7 * 24 * 3600 * 1000, 60_000, Number.MAX_SAFE_INTEGER),
      sendTimeoutMs: int('KAFKA_SEND_TIMEOUT_MS', 15_000, 100, 120_000),
      maxQueuedSends: int('KAFKA_MAX_QUEUED_SENDS', 20_000, 1, 1_000_000),
      fetchMinBytes: int('KAFKA_FETCH_MIN_BYTES', 1, 1, 10_485_760),
      fetchMaxWaitMs: int('KAFKA_FETCH_MAX_WAIT_MS', 500, 0, 10_000),
      instanceStatsIntervalMs: int('INSTANCE_STATS_INTERVAL_MS', 5000, 100, 300_000),
    },
    rooms: { default: defaultRoom, themed },
    history: {
      perRoom: int('HISTORY_PER_ROOM', 200, 1, 10_000),
      welcome: int('HISTORY_ON_WELCOME', 50, 0, 1000),
      maxRooms: int('HISTORY_MAX_ROOMS', 1000, 1, 100_000),
      // One file per topic and instance: two instances must not share one.
      db: str('HISTORY_DB', new URL(`../../.data/history-${topic}-${env.INSTANCE_ID ? instanceId : 'default'}.sqlite`, import.meta.url).pathname),
    },
    presence: {
      intervalMs: int('PRESENCE_INTERVAL_MS', 1000, 50, 60_000),
      rejoinGraceMs: int('PRESENCE_REJOIN_GRACE_MS', 5000, 0, 600_000),
    },
    fanout: {
      windowMs: int('FANOUT_WINDOW_MS', 0, 0, 1000),
      minAudience: int('FANOUT_MIN_AUDIENCE', 100, 1, 1_000_000),
    },
    limits: {
      maxFrameBytes: int('WS_MAX_FRAME_BYTES', 8192, 1024, 1_048_576),
      backpressureBytes: int('WS_BACKPRESSURE_BYTES', 1_048_576, 16_384, 67_108_864),
      maxBodyBytes: int('HTTP_MAX_BODY_BYTES', 16_384, 1024, 1_048_576),
      connPerSec: num('RATE_CONN_PER_SEC', 1, 0.01, 1000),
      connBurst: int('RATE_CONN_BURST', 8, 1, 10_000),
      ipPerSec: num('RATE_IP_PER_SEC', 5, 0.01, 1_000_000),
      ipBurst: int('RATE_IP_BURST', 30, 1, 1_000_000),
      maxConnectionsPerIp: int('MAX_CONNECTIONS_PER_IP', 50, 1, 100_000),
      abuseStrikes: int('ABUSE_STRIKES', 20, 1, 10_000),
    },
    tokenSecret,
    tokenSecretGenerated,
    monitorToken: env.MONITOR_TOKEN || undefined,
    moderation: {
      tokens: moderatorTokens,
      authorDeleteWindowMs: int('AUTHOR_DELETE_WINDOW_MS', 600_000, 0, 7 * 24 * 3600 * 1000),
      flood: {
        repeatLimit: int('FLOOD_REPEAT_LIMIT', 3, 2, 1_000_000),
        repeatWindowMs: int('FLOOD_REPEAT_WINDOW_MS', 30_000, 1000, 3_600_000),
        maxLinks: int('FLOOD_MAX_LINKS', 3, 0, 100),
        maxMentions: int('FLOOD_MAX_MENTIONS', 5, 0, 100),
        newArrivalWaitMs: int('NEW_ARRIVAL_WAIT_MS', 3000, 0, 600_000),
        newArrivalLinkWaitMs: int('NEW_ARRIVAL_LINK_WAIT_MS', 30_000, 0, 3_600_000),
        strikes: int('FLOOD_STRIKES', 5, 1, 1000),
        timeoutMinutes: int('FLOOD_TIMEOUT_MINUTES', 10, 1, 10_080),
      },
      wordlist,
      wordlistAction: wordlistAction as 'mask' | 'refuse',
    },
    allowedOrigins: origins.origins,
    trustedProxies: proxies.proxies,
    clientDist: str('CLIENT_DIST', new URL('../../client/dist', import.meta.url).pathname),
    logLevel: logLevel as Config['logLevel'],
    shutdownTimeoutMs: int('SHUTDOWN_TIMEOUT_MS', 8000, 100, 60_000),
  };
  if (config.history.welcome > config.history.perRoom) {
    problems.push('HISTORY_ON_WELCOME cannot exceed HISTORY_PER_ROOM');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: Object.freeze(config) };
}

// The compacted side topic "<topic>.instances". Each server instance publishes, under its id,
// its connections per room every interval (a clean stop writes a tombstone; entries not refreshed
// for a while count as gone). Names online are one small record each, keyed "<id>/<name>",
// whose value lists the rooms the name is in there; written when a name comes online on the
// instance or changes rooms and tombstoned when it leaves, so records stay small however many
// people are online and a restart only clears what its predecessor left. Every instance thus
// knows who is online in each room across the cluster (presence), within a second or two.
// The record "~epoch" names the chat log's epoch, a random id written when the chat topic is
// created, so a resume from a recreated topic is recognised.
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { isValidRoom } from '@anime-universe/protocol';
import type { Logger } from '../log.ts';

export interface InstanceStats {
  id: string;
  connections: number;
  rooms: Record<string, number>;
  /** Rooms left out of `rooms` (only the busiest are listed). */
  otherRooms?: number;
  at: string;
}

export interface OwnState {
  connections: number;
  rooms: Record<string, number>;
  /** Names online on this instance, so names stay unique across instances. */
  names: Iterable<string>;
  /** The rooms a name is in here (for presence across instances). */
  roomsOf?(name: string): readonly string[];
}

export interface InstanceDirectory {
  /** Starts reading the topic and resolves once everything already in it has been read. */
  start(): Promise<void>;
  /** Starts publishing this instance's stats every interval and its names as they change. */
  announce(own: () => OwnState): void;
  epoch(): string | undefined;
  /** The epoch once some instance has written it, or undefined after the timeout. */
  awaitEpoch(timeoutMs: number): Promise<string | undefined>;
  /** Writes a new epoch and waits until it has been read back. */
  newEpoch(): Promise<string>;
  /** Instances seen within the last `staleMs`, sorted by id. */
  list(now?: number): InstanceStats[];
  /** Whether another live instance reports `name` online. */
  onlineElsewhere(name: string, now?: number): boolean;
  /** Names other live instances report in `room`. */
  namesIn(room: string, now?: number): ReadonlySet<string>;
  stop(): Promise<void>;
}

export interface DirectorySettings {
  topic: string;
  instanceId: string;
  groupId: string;
  intervalMs: number;
  staleMs: number;
  replicationFactor: number;
  /** How often name changes are published (at most). */
  namesIntervalMs?: number;
  /** An instance silent this long is removed from the topic by whoever notices. */
  forgetAfterMs?: number;
}

const EPOCH_KEY = '~epoch'; // "~" is not allowed in instance ids or room names
const MAX_ROOMS_LISTED = 1000; // keeps the stats record far below Kafka's 1 MB default
const MAX_RECORDS_PER_SEND = 5000;

/** The busiest rooms, at most `max` of them, and how many were left out. */
export function busiestRooms(rooms: Record<string, number>, max = MAX_ROOMS_LISTED): { rooms: Record<string, number>; otherRooms?: number } {
  const entries = Object.entries(rooms);
  if (entries.length <= max) return { rooms };
  entries.sort((a, b) => b[1] - a[1]);
  return { rooms: Object.fromEntries(entries.slice(0, max)), otherRooms: entries.length - max };
}

const NONE: ReadonlySet<string> = new Set();
/** Listed among a name's rooms when it takes no private messages: `namesIn(NO_PRIVATE)` are those names. */
export const NO_PRIVATE = '~no-dm';

/** The rooms in a name record's value (older records say only "1": rooms unknown). */
function roomsIn(value: string): readonly string[] {
  if (!value.startsWith('[')) return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.filter((r): r is string => typeof r === 'string' && (isValidRoom(r) || r === NO_PRIVATE)) : [];
  } catch {
    return [];
  }
}

export function makeInstanceDirectory(kafka: Kafka, admin: Admin, producer: Producer, s: DirectorySettings, log: Logger): InstanceDirectory {
  const seen = new Map<string, InstanceStats>();
  const nameSets = new Map<string, Map<string, readonly string[]>>(); // instance id -> name -> its rooms there, as read from the topic
  const published = new Map<string, string>(); // own names this instance believes are in the topic, with the value written
  // Names per room on the other live instances, rebuilt when records change (or a second passed: an instance may have gone silent).
  let byRoom: { at: number; rooms: Map<string, Set<string>> } | undefined;
  const forgetAfterMs = s.forgetAfterMs ?? Math.max(10 * 60_000, 20 * s.intervalMs);
  let epoch: string | undefined;
  let readUpTo = -1; // offset of the last record read
  let consumer: Consumer | undefined;
  let statsTimer: ReturnType<typeof setInterval> | undefined;
  let namesTimer: ReturnType<typeof setInterval> | undefined;
  let syncing = false;
  const forgotten = new Set<string>(); // silent instances this one has already removed
  const orphanSince = new Map<string, number>(); // ids with names but no stats record, since when
  // A fresh group per start: the topic is always read from its beginning, so the epoch and every
  // instance's latest record are known even after a crash left an old group behind.
  const groupId = `${s.groupId}-${crypto.randomUUID().slice(0, 8)}`;

  const publish = async (messages: Array<{ key: string; value: string | null }>) => {
    let last = -1;
    for (let i = 0; i < messages.length; i += MAX_RECORDS_PER_SEND) {
      const chunk = messages.slice(i, i + MAX_RECORDS_PER_SEND);
      const [meta] = await producer.send({ topic: s.topic, acks: -1, messages: chunk });
      last = Number(meta?.baseOffset ?? -1) + chunk.length - 1;
    }
    return last;
  };
  const readPast = async (offset: number, what: string) => {
    const until = Date.now() + 15_000;
    while (readUpTo < offset) {
      if (Date.now() > until) throw new Error(`the instance directory did not read ${what} within 15 s`);
      await Bun.sleep(20);
    }
  };

  const apply = (key: string, value: string | undefined) => {
    if (key === EPOCH_KEY) {
      if (value) epoch = value;
      return;
    }
    const slash = key.indexOf('/');
    if (slash > 0) {
      const id = key.slice(0, slash);
      const name = key.slice(slash + 1);
      let names = nameSets.get(id);
      byRoom = undefined;
      if (value !== undefined) {
        if (!names) nameSets.set(id, (names = new Map()));
        names.set(name, roomsIn(value));
      } else {
        names?.delete(name);
        if (names?.size === 0) nameSets.delete(id);
        // Someone removed one of ours (it thought this instance was gone): publish it again.
        if (id === s.instanceId) published.delete(name);
      }
      return;
    }
    byRoom = undefined;
    if (value === undefined) {
      seen.delete(key); // tombstone: a clean stop
      return;
    }
    try {
      const stats = JSON.parse(value) as InstanceStats & { names?: unknown };
      if (typeof stats.connections === 'number' && typeof stats.at === 'string') {
        const { names, ...rest } = stats;
        seen.set(key, { ...rest, id: key });
        forgotten.delete(key);
        // Records of older versions list every name in the stats record.
        if (Array.isArray(names)) nameSets.set(key, new Map(names.filter((n): n is string => typeof n === 'string').map((n) => [n, []])));
      }
    } catch {
      log.warn('skipping an instance record that does not decode', { id: key });
    }
  };

  // Publishes the difference between the names online here and those in the topic; a failed
  // send is simply retried by the next round, so the topic converges on what is true.
  const syncNames = async (own: () => OwnState) => {
    if (syncing) return;
    syncing = true;
    try {
      const state = own();
      const now = new Map<string, string>();
      for (const name of state.names) now.set(name, state.roomsOf ? JSON.stringify([...state.roomsOf(name)].sort()) : '1');
      const changes: Array<{ key: string; value: string | null }> = [];
      for (const [name, value] of now) if (published.get(name) !== value) changes.push({ key: `${s.instanceId}/${name}`, value });
      for (const name of published.keys()) if (!now.has(name)) changes.push({ key: `${s.instanceId}/${name}`, value: null });
      changes.push(...forgetSilentInstances(Date.now()));
      if (changes.length === 0) return;
      await publish(changes);
      for (const [name, value] of now) published.set(name, value);
      for (const name of [...published.keys()]) if (!now.has(name)) published.delete(name);
    } catch (error) {
      log.debug('instance names not published', { error });
    } finally {
      syncing = false;
    }
  };

  // Instances that crashed long ago (ids are random by default) leave their records behind;
  // the first live instance to notice tombstones them, so the topic does not grow forever.
  const forgetSilentInstances = (now: number) => {
    const out: Array<{ key: string; value: null }> = [];
    for (const id of new Set([...seen.keys(), ...nameSets.keys()])) {
      if (id === s.instanceId || forgotten.has(id)) continue;
      const at = seen.get(id)?.at;
      const silentSince = at !== undefined ? Date.parse(at) : (orphanSince.get(id) ?? orphanSince.set(id, now).get(id) as number);
      if (now - silentSince <= forgetAfterMs) continue;
      forgotten.add(id);
      orphanSince.delete(id);
      out.push({ key: id, value: null });
      for (const name of nameSets.get(id)?.keys() ?? []) out.push({ key: `${id}/${name}`, value: null });
    }
    return out;
  };

  return {
    async start() {
      const topics = await admin.listTopics();
      if (!topics.includes(s.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{
            topic: s.topic, numPartitions: 1, replicationFactor: s.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'min.insync.replicas', value: String(Math.min(2, s.replicationFactor)) }],
          }],
        });
      }
      const [end] = await admin.fetchTopicOffsets(s.topic);
      const high = Number(end?.high ?? 0);
      await consumer?.disconnect().catch(() => {}); // an earlier attempt's, when connecting is retried
      consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 1000, allowAutoTopicCreation: false }); // answers at once when a record arrives
      await consumer.connect();
      await consumer.subscribe({ topics: [s.topic], fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const key = message.key?.toString('utf8');
            if (key) apply(key, message.value ? message.value.toString('utf8') : undefined);
            readUpTo = Number(message.offset);
          }
        },
      });
      await readPast(high - 1, 'its existing records');
      // Names a crashed predecessor with this id left behind: the first sync tombstones them.
      for (const name of nameSets.get(s.instanceId)?.keys() ?? []) published.set(name, '');
    },
    announce(own) {
      const publishStats = () => {
        const { connections, rooms } = own();
        const stats: InstanceStats = { id: s.instanceId, connections, ...busiestRooms(rooms), at: new Date().toISOString() };
        seen.set(s.instanceId, stats);
        publish([{ key: s.instanceId, value: JSON.stringify(stats) }]).catch((error) => log.debug('instance stats not published', { error }));
      };
      publishStats();
      void syncNames(own);
      statsTimer = setInterval(publishStats, s.intervalMs);
      namesTimer = setInterval(() => void syncNames(own), s.namesIntervalMs ?? Math.min(1000, s.intervalMs));
    },
    epoch: () => epoch,
    async awaitEpoch(timeoutMs) {
      const until = Date.now() + timeoutMs;
      while (epoch === undefined && Date.now() < until) await Bun.sleep(50);
      return epoch;
    },
    async newEpoch() {
      const offset = await publish([{ key: EPOCH_KEY, value: crypto.randomUUID() }]);
      await readPast(offset, 'the new epoch');
      return epoch as string;
    },
    onlineElsewhere(name, now = Date.now()) {
      for (const [id, names] of nameSets) {
        const stats = seen.get(id);
        if (id !== s.instanceId && stats && now - Date.parse(stats.at) <= s.staleMs && names.has(name)) return true;
      }
      return false;
    },
    namesIn(room, now = Date.now()) {
      if (!byRoom || now - byRoom.at > 1000) {
        const rooms = new Map<string, Set<string>>();
        for (const [id, names] of nameSets) {
          const stats = seen.get(id);
          if (id === s.instanceId || !stats || now - Date.parse(stats.at) > s.staleMs) continue;
          for (const [name, inRooms] of names) {
            for (const r of inRooms) {
              let set = rooms.get(r);
              if (!set) rooms.set(r, (set = new Set()));
              set.add(name);
            }
          }
        }
        byRoom = { at: now, rooms };
      }
      return byRoom.rooms.get(room) ?? NONE;
    },
    list(now = Date.now()) {
      return [...seen.values()].filter((i) => now - Date.parse(i.at) <= s.staleMs).sort((a, b) => a.id.localeCompare(b.id));
    },
    async stop() {
      if (statsTimer) clearInterval(statsTimer);
      if (namesTimer) clearInterval(namesTimer);
      const own = [...published.keys()].map((name) => ({ key: `${s.instanceId}/${name}`, value: null }));
      await publish([...own, { key: s.instanceId, value: null }]).catch(() => {});
      await consumer?.disconnect().catch(() => {});
      await admin.deleteGroups([groupId]).catch(() => {});
    },
  };
}

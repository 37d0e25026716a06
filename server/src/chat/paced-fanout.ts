// Fan-out paced per room. Writing one frame to a thousand sockets costs a thousand system calls,
// and on loopback each one also pays for the receiving side; frames published in the same tick
// share one write per socket. So a room's frames go out at once when the room has been quiet
// for a window, and otherwise wait for the end of the window and go out together. A quiet room
// never waits; a busy room trades at most one window of latency for far fewer writes. Rooms
// with few sockets here cost little to write to and are never held back.
import type { Fanout } from './hub.ts';

export interface PacedFanout extends Fanout {
  /** Sends what the topic holds back now (before a snapshot that must match the topic). */
  flush(topic: string): void;
  /** Frames held back right now, over all topics. */
  held(): number;
  stop(): void;
}

interface Lane {
  last: number; // when frames last went out
  pending: string[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface PacingSettings {
  windowMs: number;
  /** Topics with fewer subscribers than this on this instance are sent at once. */
  minAudience: number;
  /** Subscribers of a topic on this instance. */
  audience(topic: string): number;
  now?: () => number;
}

export function makePacedFanout(target: Fanout, p: PacingSettings): PacedFanout {
  const { windowMs } = p;
  if (windowMs <= 0) return { publish: (topic, data) => target.publish(topic, data), flush: (topic) => target.flush?.(topic), held: () => 0, stop() {} };
  const now = p.now ?? performance.now.bind(performance);
  const lanes = new Map<string, Lane>();
  let held = 0;

  const flush = (topic: string) => {
    const lane = lanes.get(topic);
    if (!lane) return void target.flush?.(topic);
    if (lane.timer !== undefined) clearTimeout(lane.timer);
    lane.timer = undefined;
    const frames = lane.pending;
    lane.pending = [];
    held -= frames.length;
    lane.last = now();
    for (const frame of frames) target.publish(topic, frame);
    target.flush?.(topic); // a packing target sends them as one message now
  };

  // Lanes of rooms that went quiet are dropped, so the map follows the active rooms.
  const sweep = setInterval(() => {
    const t = now();
    for (const [topic, lane] of lanes) if (lane.pending.length === 0 && t - lane.last > windowMs) lanes.delete(topic);
  }, Math.max(1000, windowMs * 10));
  sweep.unref?.();

  return {
    publish(topic, data) {
      let lane = lanes.get(topic);
      if (!lane && p.audience(topic) < p.minAudience) return target.publish(topic, data);
      const t = now();
      if (!lane) lanes.set(topic, (lane = { last: -Infinity, pending: [], timer: undefined }));
      if (lane.pending.length === 0 && t - lane.last >= windowMs) {
        lane.last = t;
        return target.publish(topic, data);
      }
      lane.pending.push(data);
      held++;
      lane.timer ??= setTimeout(() => flush(topic), Math.max(0, lane.last + windowMs - t));
    },
    flush,
    held: () => held,
    stop() {
      clearInterval(sweep);
      for (const topic of lanes.keys()) flush(topic);
    },
  };
}

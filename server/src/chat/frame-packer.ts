// Packs what one tick publishes to a topic into one WebSocket message. Kafka acknowledges a
// group-committed batch at once, and a consumed batch arrives at once, so a busy room's messages
// come in bursts; sending each burst as one packed message (a JSON array of the frames, see
// packFrames) costs every socket one write and its client one event, instead of one per frame.
// A quiet room's single frame goes out unchanged, one tick later. Nothing is re-encoded.
import { packFrames } from '@anime-universe/protocol';
import type { Fanout } from './hub.ts';

export interface FramePacker extends Fanout {
  /** Sends what the topic holds now (before a snapshot that must match the topic). */
  flush(topic: string): void;
  /** Frames held right now, over all topics. */
  held(): number;
  /** Sends everything held. */
  stop(): void;
}

export interface PackerSettings {
  /** A packed message stays under this many bytes of frames (more go out as further messages). */
  maxBytes?: number;
  /** Runs the flush after this tick's work (tests may run it by hand). */
  later?: (run: () => void) => void;
}

interface Lane {
  frames: string[];
  bytes: number;
}

export function makeFramePacker(target: Pick<Fanout, 'publish'>, s: PackerSettings = {}): FramePacker {
  const maxBytes = s.maxBytes ?? 64 * 1024;
  const later = s.later ?? ((run) => void setImmediate(run));
  const lanes = new Map<string, Lane>(); // topics with frames held, in the order they got their first
  let held = 0;
  let scheduled = false;

  const send = (topic: string, frames: string[]) => target.publish(topic, packFrames(frames));
  const flush = (topic: string) => {
    const lane = lanes.get(topic);
    if (!lane) return;
    lanes.delete(topic);
    held -= lane.frames.length;
    send(topic, lane.frames);
  };
  const flushAll = () => {
    scheduled = false;
    for (const topic of [...lanes.keys()]) flush(topic);
  };

  return {
    publish(topic, data) {
      let lane = lanes.get(topic);
      if (lane && lane.bytes + data.length > maxBytes) {
        flush(topic); // full: what it holds goes now, in order, and this frame starts the next one
        lane = undefined;
      }
      if (!lane) lanes.set(topic, (lane = { frames: [], bytes: 0 }));
      lane.frames.push(data);
      lane.bytes += data.length + 1;
      held++;
      if (!scheduled) {
        scheduled = true;
        later(flushAll);
      }
    },
    flush,
    held: () => held,
    stop: flushAll,
  };
}

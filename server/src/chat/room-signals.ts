// Ephemeral room signals, never on the chat log: typing indicators and name changes ("X is now
// Y"). A signal from a socket here goes to the room's sockets at once and to the other instances
// over the signals topic; theirs come back the same way. Names timed out (read-only) send no
// typing signals.
import { encodeFrame } from '@anime-universe/protocol';
import type { Signal } from '../kafka/signal-log.ts';
import { roomTopic, type Fanout } from './hub.ts';
import type { Timeouts } from './timeouts.ts';

export interface RoomSignalDeps {
  fanout: Pick<Fanout, 'publish'>;
  signals: { send(signal: Signal): void; subscribe(listener: (signal: Signal) => void): void };
  timeouts?: Timeouts;
  /** A name in a room changed (here or elsewhere): presence counts it as the same person. */
  onRenamed?(room: string, from: string, to: string): void;
}

export function makeRoomSignals(d: RoomSignalDeps) {
  const typingFrame = (room: string, name: string) => d.fanout.publish(roomTopic(room), encodeFrame({ type: 'typing', room, name }));
  const renamedFrame = (room: string, from: string, to: string) => {
    d.onRenamed?.(room, from, to);
    d.fanout.publish(roomTopic(room), encodeFrame({ type: 'renamed', room, from, to }));
  };
  d.signals.subscribe((s) => (s.kind === 'typing' ? typingFrame(s.room, s.name) : renamedFrame(s.room, s.from, s.to)));
  return {
    /** A socket of this instance says its name is typing in the room. */
    typing(room: string, name: string, source: string | undefined) {
      if ((d.timeouts?.remaining(name, source) ?? 0) > 0) return;
      typingFrame(room, name);
      d.signals.send({ kind: 'typing', room, name });
    },
    /** A socket of this instance took a new name. */
    renamed(room: string, from: string, to: string) {
      renamedFrame(room, from, to);
      d.signals.send({ kind: 'renamed', room, from, to });
    },
  };
}

// Typing indicators: ephemeral, never on the chat log. A signal from a socket here goes to the
// room's sockets at once and to the other instances over the signals topic; theirs come back
// the same way. Names timed out (read-only) send nothing.
import { encodeFrame } from '@anime-universe/protocol';
import type { Signal } from '../kafka/signal-log.ts';
import { roomTopic, type Fanout } from './hub.ts';
import type { Timeouts } from './timeouts.ts';

export interface TypingDeps {
  fanout: Pick<Fanout, 'publish'>;
  signals: { send(signal: Signal): void; subscribe(listener: (signal: Signal) => void): void };
  timeouts?: Timeouts;
}

export function makeTyping(d: TypingDeps) {
  const tell = (room: string, name: string) => d.fanout.publish(roomTopic(room), encodeFrame({ type: 'typing', room, name }));
  d.signals.subscribe((s) => s.kind === 'typing' && tell(s.room, s.name));
  return {
    /** A socket of this instance says its name is typing in the room. */
    typing(room: string, name: string, source: string | undefined) {
      if ((d.timeouts?.remaining(name, source) ?? 0) > 0) return;
      tell(room, name);
      d.signals.send({ kind: 'typing', room, name });
    },
  };
}

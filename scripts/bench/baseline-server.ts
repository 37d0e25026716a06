// The runtime's own limit for the benchmark: a bare Bun pub/sub server that speaks the chat's
// frames (welcome, chat with offset, error) with no Kafka, no history and no limits. Same
// decode and encode as the real server, so the difference is the product's own work.
//   PORT=4000 bun scripts/bench/baseline-server.ts
import { serveFrames } from './frame-server.ts';

const offsets = new Map<string, number>();
serveFrames('Bare', (chat, publish) => {
  const offset = (offsets.get(chat.room) ?? -1) + 1;
  offsets.set(chat.room, offset);
  publish(offset);
});

// Sends the missed messages that did not fit a welcome as `history` pages, newest page first,
// each only once the socket's send buffer has drained below a quarter of the backpressure limit
// (the runtime closes a socket above the limit). Live messages may go out between pages; the
// client places every message by its offset.
import type { ServerWebSocket } from 'bun';
import type { ChatMessage, HistoryFrame } from '@anime-universe/protocol';
import { pagesOf } from './resume.ts';

const PAGE_BYTES = 64 * 1024;
const OPEN = 1;

export async function sendBackfill(
  ws: ServerWebSocket<unknown>, room: string, messages: ChatMessage[], backpressureBytes: number, send: (frame: HistoryFrame) => void,
): Promise<void> {
  const pages = pagesOf(messages, Math.min(PAGE_BYTES, backpressureBytes / 4));
  let remaining = messages.length;
  for (const page of pages) {
    while (ws.readyState === OPEN && ws.getBufferedAmount() > backpressureBytes / 4) await Bun.sleep(5);
    if (ws.readyState !== OPEN) return; // gone: it resumes from its last offset next time
    remaining -= page.length;
    send({ type: 'history', room, messages: page, remaining });
  }
}

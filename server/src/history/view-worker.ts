// The read model's writer, on its own thread: consumed batches are inserted (with their full-text
// index) and committed here, so the event loop that delivers messages never waits on SQLite.
// Requests are handled in the order they were posted. Once a write has failed, later batches
// are refused: storing them would move a position past a hole.
import { openReadModel, type ReadModel, type ViewBatch } from './read-model.ts';

export type ViewRequest =
  | { id: number; op: 'open'; path: string; topic: string; epoch: string }
  | { id: number; op: 'begin'; starts: Map<number, number> }
  | { id: number; op: 'apply'; batches: ViewBatch[] }
  | { id: number; op: 'prune'; cutoff: number }
  | { id: number; op: 'close' };

export type ViewReply = { id: number; ok: true; result?: unknown } | { id: number; ok: false; error: string };

declare const self: Worker;

let model: ReadModel | undefined;
let failed: string | undefined;

function handle(r: ViewRequest): unknown {
  if (r.op === 'open') {
    model?.close();
    model = openReadModel(r.path, { topic: r.topic, epoch: r.epoch });
    failed = undefined;
    return model.positions();
  }
  if (r.op === 'close') {
    model?.close();
    model = undefined;
    return undefined;
  }
  if (!model) throw new Error('the history database is not open');
  if (failed) throw new Error(`an earlier write failed (${failed}); nothing more is stored until a restart`);
  if (r.op === 'begin') return model.begin(r.starts);
  if (r.op === 'prune') return model.prune(new Date(r.cutoff));
  try {
    model.applyAll(r.batches);
  } catch (error) {
    failed = (error as Error).message;
    throw error;
  }
  return undefined;
}

self.onmessage = (event: MessageEvent<ViewRequest>) => {
  const r = event.data;
  let reply: ViewReply;
  try {
    reply = { id: r.id, ok: true, result: handle(r) };
  } catch (error) {
    reply = { id: r.id, ok: false, error: (error as Error).message };
  }
  self.postMessage(reply);
};

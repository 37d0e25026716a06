// A WebSocket client that reads far slower than the server sends: it blocks its own event loop
// for every frame, so the kernel buffers fill and the server's buffer for it grows. Run as a
// child process: `bun slow-reader.ts <ws url>`. Prints one JSON line when the socket closes:
// {"code", "last"} with the offset of the last chat frame it handled.
interface Frame { type: string; offset?: number }
const url = process.argv[2] as string;
const ws = new WebSocket(url);
let last = -1;
let welcomed = false;
ws.onmessage = (e) => {
  const parsed = JSON.parse(String(e.data)) as Frame | Frame[]; // one frame, or several packed
  for (const frame of Array.isArray(parsed) ? parsed : [parsed]) {
    if (frame.type === 'welcome' && !welcomed) {
      welcomed = true;
      console.log(JSON.stringify({ welcome: true }));
    }
    if (frame.type === 'chat' && typeof frame.offset === 'number') last = frame.offset;
    Bun.sleepSync(20); // every frame, packed or not, takes this long to handle
  }
};
ws.onclose = (e) => {
  console.log(JSON.stringify({ code: e.code, last }));
  process.exit(0);
};

// GET / and other paths: the built client from client/dist, or a placeholder page until it exists.
// Unknown paths get index.html so client-side routes work; only regular files inside dist are served.
import { Hono } from 'hono';
import { serveStatic } from 'hono/bun';
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Anime Universe</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Anime Universe</h1><p>The chat server is running. The web client has not been built yet.</p>
<p>WebSocket: <code>/ws/chat</code> &middot; API: <code>POST /chat/send</code> &middot; <a href="/health">/health</a></p></main>
</body></html>`;

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;

export function staticRoute(dist: string) {
  const root = resolve(dist);
  const index = join(root, 'index.html');
  return new Hono()
    .use('*', serveStatic({ root })) // regular files inside root only; falls through otherwise
    .get('*', (c) => {
      if (isFile(index)) return new Response(Bun.file(index), { headers: { 'Content-Type': 'text/html; charset=utf-8' } });
      return c.html(PLACEHOLDER);
    });
}

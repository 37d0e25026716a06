// Builds the client into client/dist (served by the Bun server at /). In development the Vite
// server proxies the chat API and WebSocket to the Bun server on CHAT_SERVER (default :3000).
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const target = process.env.CHAT_SERVER ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [solid()],
  server: {
    proxy: {
      '/ws/chat': { target, ws: true },
      '/chat/send': target,
      '/health': target,
      '/rooms': target,
    },
  },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 200 },
});

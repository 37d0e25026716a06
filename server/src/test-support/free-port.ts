// A TCP port that was free a moment ago, for tests that must pass a port to a child process.
export async function freePort(): Promise<number> {
  const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() });
  const port = s.port as number;
  await s.stop(true);
  return port;
}

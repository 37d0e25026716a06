import { describe, expect, it } from 'bun:test';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { isLoopback, monitorAccess } from './monitor-access.ts';

function app(token: string | undefined, ip: string) {
  const a = new Hono().get('/monitor.json', monitorAccess(token, () => ip), (c) => c.json({ ok: true }));
  a.onError((e, c) => (e instanceof HTTPException ? e.getResponse() : c.text('boom', 500)));
  return a;
}
const code = async (res: Response) => ((await res.json()) as { error?: { code: string } }).error?.code;

describe('GET /monitor.json access', () => {
  it('without a token, allows this machine only', async () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopback(ip)).toBe(true);
    expect((await app(undefined, '127.0.0.1').request('/monitor.json')).status).toBe(200);
    const remote = await app(undefined, '192.168.1.20').request('/monitor.json');
    expect(remote.status).toBe(403);
    expect(await code(remote)).toBe('monitor_forbidden');
    expect((await app(undefined, 'unknown').request('/monitor.json')).status).toBe(403);
  });
  it('with a token, requires it from everyone, loopback included', async () => {
    const withToken = (authorization?: string) => app('s3cret-token', '127.0.0.1').request('/monitor.json', { headers: authorization ? { authorization } : {} });
    expect((await withToken('Bearer s3cret-token')).status).toBe(200);
    for (const bad of [undefined, 'Bearer wrong', 'Basic abc', 'Bearer']) {
      const res = await withToken(bad);
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('monitor_forbidden');
    }
  });
});

import { afterAll, describe, expect, it } from 'bun:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticRoute } from './static-route.ts';

const dist = mkdtempSync(join(tmpdir(), 'dist-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>built client</title>');
writeFileSync(join(dist, 'assets', 'app.js'), 'console.log("app")');
writeFileSync(join(tmpdir(), 'secret-outside-dist.txt'), 'secret');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('GET / (static client)', () => {
  const app = staticRoute(dist);
  it('serves index.html at / and assets by path', async () => {
    expect(await (await app.request('/')).text()).toContain('built client');
    const js = await app.request('/assets/app.js');
    expect(js.status).toBe(200);
    expect(await js.text()).toBe('console.log("app")');
  });
  it('answers client-side routes and directories with index.html, never a server error', async () => {
    for (const path of ['/room/isekai-tavern', '/assets', '/assets/']) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('built client');
    }
  });
  it('never serves files outside the dist folder', async () => {
    for (const path of ['/../secret-outside-dist.txt', '/%2e%2e/secret-outside-dist.txt', '/..%2fsecret-outside-dist.txt', '/%E0%A4%A']) {
      const res = await app.request(path);
      expect(await res.text()).not.toBe('secret');
      expect(res.status).toBeLessThan(500);
    }
  });
  it('shows a placeholder page when no client is built', async () => {
    const res = await staticRoute(join(dist, 'missing')).request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('has not been built yet');
  });
});

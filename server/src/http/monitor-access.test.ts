import { describe, expect, it } from 'bun:test';
import { canReadMonitor, isLoopback } from './monitor-access.ts';

describe('canReadMonitor', () => {
  it('without a token, allows this machine only', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3']) expect(isLoopback(ip)).toBe(true);
    expect(canReadMonitor('127.0.0.1', undefined, undefined)).toBe(true);
    expect(canReadMonitor('192.168.1.20', undefined, undefined)).toBe(false);
    expect(canReadMonitor('unknown', undefined, undefined)).toBe(false);
  });
  it('with a token, requires it from everyone, loopback included', () => {
    expect(canReadMonitor('192.168.1.20', 'Bearer s3cret-token', 's3cret-token')).toBe(true);
    expect(canReadMonitor('127.0.0.1', undefined, 's3cret-token')).toBe(false);
    expect(canReadMonitor('127.0.0.1', 'Bearer wrong', 's3cret-token')).toBe(false);
  });
});

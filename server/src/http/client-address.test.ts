import { describe, expect, it } from 'bun:test';
import { clientAddress, parseTrustedProxies } from './client-address.ts';

const trusted = parseTrustedProxies('loopback, 10.0.0.5').proxies;

describe('clientAddress', () => {
  it('uses the peer address when the peer is not a trusted proxy, whatever the headers say', () => {
    expect(clientAddress('203.0.113.9', { xForwardedFor: '1.2.3.4' }, trusted)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', { forwarded: 'for=1.2.3.4' }, new Set())).toBe('203.0.113.9');
  });

  it('behind a trusted proxy, takes the rightmost forwarded address that is not a trusted proxy', () => {
    expect(clientAddress('127.0.0.1', { xForwardedFor: '198.51.100.7' }, trusted)).toBe('198.51.100.7');
    // A client that sends its own X-Forwarded-For cannot choose: the proxy appends what it saw.
    expect(clientAddress('127.0.0.1', { xForwardedFor: '6.6.6.6, 198.51.100.7' }, trusted)).toBe('198.51.100.7');
    expect(clientAddress('::ffff:127.0.0.1', { xForwardedFor: '198.51.100.7, 10.0.0.5' }, trusted)).toBe('198.51.100.7');
    expect(clientAddress('::1', { forwarded: 'for=192.0.2.60;proto=http;by=203.0.113.43' }, trusted)).toBe('192.0.2.60');
    expect(clientAddress('::1', { forwarded: 'for="[2001:db8:cafe::17]:4711"' }, trusted)).toBe('2001:db8:cafe::17');
    expect(clientAddress('::1', { forwarded: 'for=192.0.2.60:8080, for=10.0.0.5' }, trusted)).toBe('192.0.2.60');
  });

  it('falls back to the peer when the chain is empty, all proxies, or not addresses', () => {
    expect(clientAddress('127.0.0.1', {}, trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', { xForwardedFor: '10.0.0.5' }, trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', { xForwardedFor: 'evil.example' }, trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', { forwarded: 'for=unknown' }, trusted)).toBe('127.0.0.1');
  });
});

describe('parseTrustedProxies', () => {
  it('accepts addresses and "loopback", and names every other entry', () => {
    expect([...parseTrustedProxies('loopback,192.168.1.2').proxies]).toEqual(['127.0.0.1', '::1', '192.168.1.2']);
    expect(parseTrustedProxies('10.0.0.0/8,proxy.local').problems).toHaveLength(2);
    expect(parseTrustedProxies('').proxies.size).toBe(0);
  });
});

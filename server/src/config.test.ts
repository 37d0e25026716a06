import { describe, expect, it } from 'bun:test';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const r = loadConfig({});
    if (!r.ok) throw new Error(r.problems.join());
    expect(r.config.port).toBe(3000);
    expect(r.config.kafka.topic).toBe('anonymous-anime-universe');
    expect(r.config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(r.config.rooms.themed).toContain('lobby');
    expect(Object.isFrozen(r.config)).toBe(true);
  });
  it('reports every problem at once', () => {
    const r = loadConfig({ PORT: 'abc', KAFKA_BROKERS: 'nohost', DEFAULT_ROOM: 'Bad Room', TOKEN_SECRET: 'short', RATE_CONN_PER_SEC: '-1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(5);
    expect(r.problems.join('\n')).toContain('PORT');
    expect(r.problems.join('\n')).toContain('KAFKA_BROKERS');
  });
  it('always offers the default room among the themed rooms', () => {
    const r = loadConfig({ DEFAULT_ROOM: 'tea-house', ROOMS: 'a,b' });
    expect(r.ok && r.config.rooms.themed).toEqual(['tea-house', 'a', 'b']);
  });
  it('reads moderator tokens as label:secret pairs and refuses short secrets or bad labels', () => {
    const r = loadConfig({ MODERATOR_TOKENS: 'mika:0123456789abcdef, fedcba9876543210' });
    expect(r.ok && [...r.config.moderation.tokens]).toEqual([['0123456789abcdef', 'mika'], ['fedcba9876543210', 'moderator']]);
    expect(r.ok && r.config.moderation.authorDeleteWindowMs).toBe(600_000);
    const bad = loadConfig({ MODERATOR_TOKENS: 'mika:short,bad label:0123456789abcdef' });
    expect(bad.ok ? [] : bad.problems).toHaveLength(2);
  });
});

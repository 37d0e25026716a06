import { describe, expect, it } from 'bun:test';
import { makeRoomGrants } from './room-grants.ts';

describe('room grants', () => {
  it('keeps the grant the server answers, adds it to that room\'s history URLs, and reports a refusal', async () => {
    const storage = new Map<string, string>();
    const posted: Array<[string, unknown]> = [];
    const grants = makeRoomGrants({ getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) }, async (url, body) => {
      posted.push([url, body]);
      if (url.endsWith('/join')) return { status: 403, body: { error: { code: 'wrong_passcode', message: 'That is not the passcode of this room.' } } };
      return { status: 201, body: { room: 'den', grant: 'g1.den.9.mac' } };
    }, 'http://chat.test');
    expect(await grants.create('den', 'secret-1')).toBeUndefined();
    expect(posted).toEqual([['http://chat.test/rooms/den/passcode', { passcode: 'secret-1' }]]);
    expect(grants.of('den')).toBe('g1.den.9.mac');
    expect(grants.withGrant('http://chat.test/rooms/den/messages?before=5')).toBe('http://chat.test/rooms/den/messages?before=5&grant=g1.den.9.mac');
    expect(grants.withGrant('http://chat.test/rooms/lobby/search?q=x')).toBe('http://chat.test/rooms/lobby/search?q=x');
    expect(await grants.join('cave', 'nope')).toBe('That is not the passcode of this room.');
    expect(grants.rooms()).toEqual(['den']);
    expect(JSON.parse(storage.get('anime-universe.grants') ?? '{}')).toEqual({ den: 'g1.den.9.mac' });
  });
});

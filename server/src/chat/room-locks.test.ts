import { describe, expect, it } from 'bun:test';
import { makeRoomLocks } from './room-locks.ts';

describe('room locks', () => {
  it('keeps the first passcode of a room, checks passcodes against its hash, and lets grants of that room in', async () => {
    const locks = makeRoomLocks('secret-one');
    const hash = await Bun.password.hash('kitsune-den');
    locks.apply({ room: 'den', hash });
    locks.apply({ room: 'den', hash: await Bun.password.hash('another') }); // later records do not replace it
    expect(locks.isLocked('den')).toBe(true);
    expect(await locks.check('den', 'kitsune-den')).toBe(true);
    expect(await locks.check('den', 'another')).toBe(false);
    expect(await locks.check('lobby', 'anything')).toBe(false);
    const grant = locks.grant('den', 1000);
    expect(locks.mayEnter('den', grant, 2000)).toBe(true);
    expect(locks.mayEnter('den', undefined, 2000)).toBe(false);
    expect(locks.mayEnter('den', grant.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 2000)).toBe(false); // tampered
    expect(locks.mayEnter('den', grant, 1000 + 31 * 24 * 3600 * 1000)).toBe(false); // expired
    expect(locks.mayEnter('lobby', undefined)).toBe(true); // open rooms need nothing
    const other = makeRoomLocks('secret-one');
    other.apply({ room: 'den', hash });
    other.apply({ room: 'cave', hash });
    expect(other.mayEnter('den', grant, 2000)).toBe(true); // any instance with the secret
    expect(other.mayEnter('cave', grant, 2000)).toBe(false); // not another room
    expect(makeRoomLocks('secret-two').mayEnter('den', grant, 2000)).toBe(true); // not locked there: open
  });
});

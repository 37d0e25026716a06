// Stateless session tokens: an HMAC over the username, so any instance sharing TOKEN_SECRET can
// verify that a reconnecting client owns its name.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isValidUsername } from '@anime-universe/protocol';

export interface Tokens {
  issue(username: string): string;
  /** The username the token was issued for, or null when it is forged or malformed. */
  verify(token: string | undefined | null): string | null;
}

export function makeTokens(secret: string): Tokens {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  return {
    issue(username) {
      const payload = `v1.${Buffer.from(username).toString('base64url')}`;
      return `${payload}.${sign(payload)}`;
    },
    verify(token) {
      if (!token || token.length > 200) return null;
      const cut = token.lastIndexOf('.');
      if (cut < 0) return null;
      const payload = token.slice(0, cut);
      const given = Buffer.from(token.slice(cut + 1));
      const expected = Buffer.from(sign(payload));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      const [version, encoded] = payload.split('.');
      if (version !== 'v1' || !encoded) return null;
      const username = Buffer.from(encoded, 'base64url').toString();
      return isValidUsername(username) ? username : null;
    },
  };
}

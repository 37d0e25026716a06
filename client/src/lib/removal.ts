// Removing messages from the web client: the author's own (with the chat token, within the
// window the welcome gives) or, for a moderator signed in on this browser, anyone's. The
// moderator token stays in localStorage; a token the server does not accept is forgotten.
import type { ChatMessage, ErrorBody } from '@anime-universe/protocol';

export const MODERATOR_KEY = 'anime-universe.moderator';

/** DELETEs `url` with a Bearer token; resolves to the HTTP status and the JSON body. */
export type DeleteRequest = (url: string, bearer: string) => Promise<{ status: number; body: unknown }>;

export const fetchDelete: DeleteRequest = async (url, bearer) => {
  const res = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${bearer}` } });
  return { status: res.status, body: await res.json().catch(() => undefined) };
};

export interface Remover {
  moderator(): boolean;
  signIn(token: string): void;
  signOut(): void;
  /** Whether this browser may try to remove the message. */
  canRemove(m: ChatMessage, me: string | undefined, windowMs: number | undefined, now: number): boolean;
  /** Removes the message; resolves to an error text, or undefined when it is removed. */
  remove(m: ChatMessage, chatToken: string | undefined): Promise<string | undefined>;
}

export function makeRemover(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, httpOrigin: string, request: DeleteRequest = fetchDelete): Remover {
  let token = storage.getItem(MODERATOR_KEY) ?? undefined;
  const signOut = () => {
    token = undefined;
    storage.removeItem(MODERATOR_KEY);
  };
  return {
    moderator: () => token !== undefined,
    signIn(next) {
      token = next.trim();
      storage.setItem(MODERATOR_KEY, token);
    },
    signOut,
    canRemove(m, me, windowMs, now) {
      if (m.redacted) return false;
      if (token) return true;
      return m.username === me && windowMs !== undefined && now - Date.parse(m.timestamp) < windowMs;
    },
    async remove(m, chatToken) {
      const bearer = token ?? chatToken;
      if (!bearer) return 'Not connected yet.';
      try {
        const { status, body } = await request(`${httpOrigin}/rooms/${encodeURIComponent(m.room)}/messages/${m.offset}`, bearer);
        if (status === 200) return undefined;
        if (status === 401 && token) {
          signOut();
          return 'The moderator token was not accepted; you are signed out.';
        }
        return (body as { error?: ErrorBody } | undefined)?.error?.message ?? `The server answered ${status}.`;
      } catch {
        return 'The server could not be reached.';
      }
    },
  };
}

// Moderation from the web client: removing the author's own messages (with the chat token,
// within the window the welcome gives) and, for a moderator signed in on this browser, removing
// anyone's and timing out their author. The moderator token stays in localStorage; a token the
// server does not accept is forgotten.
import type { ChatMessage, ErrorBody, OpenReport } from '@anime-universe/protocol';

export type { OpenReport };

export const MODERATOR_KEY = 'anime-universe.moderator';

/** Sends a request with a Bearer token; resolves to the HTTP status and the JSON body. */
type Method = 'GET' | 'DELETE' | 'POST' | 'PUT';
export type AuthorizedRequest = (method: Method, url: string, bearer: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export const fetchAuthorized: AuthorizedRequest = async (method, url, bearer, body) => {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${bearer}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json().catch(() => undefined) };
};

/** How long a moderator's one-click timeout lasts unless the moderator chose another length. */
export const TIMEOUT_MINUTES = 10;
/** The lengths a moderator can choose: minutes and label. */
export const TIMEOUT_CHOICES: ReadonlyArray<[number, string]> = [[10, '10 min'], [60, '1 h'], [1440, '24 h'], [10_080, '7 days']];

export interface Remover {
  moderator(): boolean;
  /** The signed-in moderator secret, if any. */
  token(): string | undefined;
  /** Reports a message to the moderators (with the chat token); an error text, or undefined. */
  report(m: ChatMessage, reason: string, chatToken: string | undefined): Promise<string | undefined>;
  /** (Moderators) the open reports, newest first; undefined when they cannot be read now, null
   * when the server refused the token (which is then forgotten). */
  reports(): Promise<OpenReport[] | undefined | null>;
  /** (Moderators) dismisses a report; an error text, or undefined. */
  dismiss(id: string): Promise<string | undefined>;
  /** (Moderators) sets the room's slow mode; an error text, or undefined. */
  setSlowMode(room: string, seconds: number): Promise<string | undefined>;
  signIn(token: string): void;
  signOut(): void;
  /** Whether this browser may try to remove the message. */
  canRemove(m: ChatMessage, me: string | undefined, windowMs: number | undefined, now: number): boolean;
  /** Removes the message; resolves to an error text, or undefined when it is removed. */
  remove(m: ChatMessage, chatToken: string | undefined): Promise<string | undefined>;
  /** (Moderators) times out the message's author for `minutes`; an error text, or undefined. */
  timeOut(m: ChatMessage, minutes?: number): Promise<string | undefined>;
}

export function makeRemover(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>, httpOrigin: string, request: AuthorizedRequest = fetchAuthorized): Remover {
  let token = storage.getItem(MODERATOR_KEY) ?? undefined;
  const signOut = () => {
    token = undefined;
    storage.removeItem(MODERATOR_KEY);
  };
  const send = async (method: Method, url: string, bearer: string | undefined, body?: unknown) => {
    if (!bearer) return 'Not connected yet.';
    try {
      const res = await request(method, url, bearer, body);
      if (res.status >= 200 && res.status < 300) return undefined;
      if (res.status === 401 && token) {
        signOut();
        return 'The moderator token was not accepted; you are signed out.';
      }
      return (res.body as { error?: ErrorBody } | undefined)?.error?.message ?? `The server answered ${res.status}.`;
    } catch {
      return 'The server could not be reached.';
    }
  };
  return {
    moderator: () => token !== undefined,
    token: () => token,
    report(m, reason, chatToken) {
      return send('POST', `${httpOrigin}/rooms/${encodeURIComponent(m.room)}/messages/${m.offset}/reports`, chatToken, { reason });
    },
    async reports() {
      if (!token) return undefined;
      try {
        const res = await request('GET', `${httpOrigin}/moderation/reports`, token);
        if (res.status === 401 || res.status === 403) {
          signOut();
          return null;
        }
        return res.status === 200 ? (res.body as { reports: OpenReport[] }).reports : undefined;
      } catch {
        return undefined;
      }
    },
    dismiss(id) {
      return send('DELETE', `${httpOrigin}/moderation/reports/${encodeURIComponent(id)}`, token);
    },
    setSlowMode(room, seconds) {
      return send('PUT', `${httpOrigin}/rooms/${encodeURIComponent(room)}/settings`, token, { slowModeSeconds: seconds });
    },
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
    remove(m, chatToken) {
      return send('DELETE', `${httpOrigin}/rooms/${encodeURIComponent(m.room)}/messages/${m.offset}`, token ?? chatToken);
    },
    timeOut(m, minutes = TIMEOUT_MINUTES) {
      return send('POST', `${httpOrigin}/moderation/timeouts`, token, { room: m.room, offset: m.offset, minutes });
    },
  };
}

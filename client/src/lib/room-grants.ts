// Grants for passcode rooms this browser has entered (kept in storage, so a reload stays in),
// added to the room's socket URL and history requests; and asking the server for one.
import type { RoomGrant } from '@anime-universe/protocol';

const GRANTS_KEY = 'anime-universe.grants';

export type PostJson = (url: string, body: unknown) => Promise<{ status: number; body: unknown }>;

export function makeRoomGrants(storage: Pick<Storage, 'getItem' | 'setItem'>, postJson: PostJson, httpOrigin: string) {
  const grants: Record<string, string> = (() => {
    try {
      const parsed = JSON.parse(storage.getItem(GRANTS_KEY) ?? '{}') as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  })();
  const keep = (g: RoomGrant) => {
    grants[g.room] = g.grant;
    storage.setItem(GRANTS_KEY, JSON.stringify(grants));
  };
  /** Asks for a grant; the error's message when refused. */
  const ask = async (path: string, room: string, passcode: string): Promise<string | undefined> => {
    try {
      const res = await postJson(`${httpOrigin}/rooms/${encodeURIComponent(room)}/${path}`, { passcode });
      if (res.status === 200 || res.status === 201) {
        keep(res.body as RoomGrant);
        return undefined;
      }
      return (res.body as { error?: { message?: string } }).error?.message ?? `The server said ${res.status}.`;
    } catch {
      return 'The server could not be reached; try again.';
    }
  };
  return {
    of: (room: string): string | undefined => grants[room],
    /** Rooms this browser holds a grant for (listed for this browser only). */
    rooms: (): string[] => Object.keys(grants),
    forget(room: string) {
      delete grants[room];
      storage.setItem(GRANTS_KEY, JSON.stringify(grants));
    },
    join: (room: string, passcode: string) => ask('join', room, passcode),
    create: (room: string, passcode: string) => ask('passcode', room, passcode),
    /** A history URL of a passcode room with its grant added. */
    withGrant(url: string): string {
      const m = /\/rooms\/([a-z0-9-]+)\/(?:messages|search)/.exec(url);
      const grant = m ? grants[m[1] as string] : undefined;
      return grant ? `${url}${url.includes('?') ? '&' : '?'}grant=${encodeURIComponent(grant)}` : url;
    },
  };
}

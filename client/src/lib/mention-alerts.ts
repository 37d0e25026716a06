// Telling the user they were mentioned while they were not looking: a count in the tab title,
// and, if they turned it on and the browser allows it, a notification. The choice is kept in
// this browser only.
const NOTIFY_KEY = 'anime-universe.notify-mentions';

export type NotifyState = 'unsupported' | 'off' | 'on' | 'blocked';

export interface MentionAlertDeps {
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** The browser's Notification API, if it has one. */
  notifications?: {
    permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
    show(title: string, body: string, tag: string): void;
  };
}

export function makeMentionAlerts(d: MentionAlertDeps) {
  const wanted = () => d.storage.getItem(NOTIFY_KEY) === 'on';
  return {
    state(): NotifyState {
      if (!d.notifications) return 'unsupported';
      if (d.notifications.permission === 'denied') return 'blocked';
      return wanted() && d.notifications.permission === 'granted' ? 'on' : 'off';
    },
    /** Turns notifications on (asking the browser first) or off; the new state. */
    async toggle(): Promise<NotifyState> {
      if (!d.notifications) return 'unsupported';
      if (wanted() && d.notifications.permission === 'granted') {
        d.storage.setItem(NOTIFY_KEY, 'off');
        return 'off';
      }
      const permission = d.notifications.permission === 'granted' ? 'granted' : await d.notifications.requestPermission();
      if (permission !== 'granted') return permission === 'denied' ? 'blocked' : 'off';
      d.storage.setItem(NOTIFY_KEY, 'on');
      return 'on';
    },
    /** A message mentioning me arrived while the page was hidden. */
    mentioned(m: { id: string; username: string; room: string; text: string }) {
      if (this.state() !== 'on') return;
      d.notifications?.show(`${m.username} mentioned you in #${m.room}`, m.text, m.id);
    },
  };
}

/** "(3) Anime Universe" while there are mentions to see, the plain title otherwise. */
export const titleWith = (base: string, mentions: number) => (mentions > 0 ? `(${mentions > 99 ? '99+' : mentions}) ${base}` : base);

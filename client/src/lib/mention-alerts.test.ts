import { describe, expect, it } from 'bun:test';
import { makeMentionAlerts, titleWith } from './mention-alerts.ts';

function setup(permission: NotificationPermission, answer: NotificationPermission = permission) {
  const storage = new Map<string, string>();
  const shown: string[] = [];
  const notifications = {
    permission,
    async requestPermission() {
      notifications.permission = answer;
      return answer;
    },
    show: (title: string, body: string) => void shown.push(`${title}: ${body}`),
  };
  const alerts = makeMentionAlerts({ storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) }, notifications });
  return { alerts, shown, storage };
}
const m = { id: 'm1', username: 'Aki', room: 'lobby', text: 'hey @Me1' };

describe('mention alerts', () => {
  it('notifies only after the user turned it on and the browser allowed it, and stops when turned off', async () => {
    const { alerts, shown } = setup('default', 'granted');
    alerts.mentioned(m);
    expect(shown).toEqual([]);
    expect(await alerts.toggle()).toBe('on');
    alerts.mentioned(m);
    expect(shown).toEqual(['Aki mentioned you in #lobby: hey @Me1']);
    expect(await alerts.toggle()).toBe('off');
    alerts.mentioned(m);
    expect(shown).toHaveLength(1);
  });
  it('says when the browser blocks notifications or has none', async () => {
    expect(await setup('default', 'denied').alerts.toggle()).toBe('blocked');
    expect(makeMentionAlerts({ storage: { getItem: () => null, setItem() {} } }).state()).toBe('unsupported');
  });
  it('puts the count of mentions in the title', () => {
    expect(titleWith('Anime Universe', 0)).toBe('Anime Universe');
    expect(titleWith('Anime Universe', 3)).toBe('(3) Anime Universe');
    expect(titleWith('Anime Universe', 120)).toBe('(99+) Anime Universe');
  });
});

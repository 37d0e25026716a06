// Solid-owned chat: wraps the plain chat client for the component tree in a Solid store. Each
// change of the client is reconciled into the store (timeline items matched by their key), so
// only what changed updates: a reaction re-renders one message's chips, a typing signal one
// line, never the list. Also announces others' messages and retries when the browser is back online.
import { createEffect, createSignal, onCleanup } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { isValidRoom, mentions, type ChatMessage } from '@anime-universe/protocol';
import { makeChatClient, type ChatSnapshot } from '../lib/chat-client.ts';
import type { SocketLike } from '../lib/connection.ts';
import { newClientId } from '../lib/format.ts';
import { makeIgnoreList } from '../lib/ignore-list.ts';
import { makeRemover, TIMEOUT_CHOICES, TIMEOUT_MINUTES, type OpenReport } from '../lib/moderation.ts';
import { jumpTo } from '../lib/jump-to.ts';
import { makeMentionAlerts, titleWith } from '../lib/mention-alerts.ts';

const REPORTS_POLL_MS = 5000;

export type Chat = ReturnType<typeof createChat>;

export function createChat() {
  const hashRoom = decodeURIComponent(location.hash.slice(1));
  if (isValidRoom(hashRoom)) localStorage.setItem('anime-universe.room', hashRoom);
  const [announcement, setAnnouncement] = createSignal('');
  const ignore = makeIgnoreList(localStorage);
  const remover = makeRemover(localStorage, location.origin);
  const [ignored, setIgnored] = createSignal(new Set(ignore.names()));

  const [moderator, setModerator] = createSignal(remover.moderator());
  const [timeoutMinutes, setTimeoutMinutes] = createSignal(TIMEOUT_MINUTES);
  // What the last moderation action did (or why it failed), shown below the composer.
  const [notice, setNotice] = createSignal<{ text: string; error: boolean } | undefined>();
  const [replyingTo, setReplyingTo] = createSignal<ChatMessage | undefined>();
  // Mentions of me: counted in the tab title while the page is hidden (and in other rooms), and
  // notified if the user turned that on.
  const [hiddenMentions, setHiddenMentions] = createSignal(0);
  const alerts = makeMentionAlerts({
    storage: localStorage,
    ...(typeof Notification === 'function' ? {
      notifications: {
        get permission() {
          return Notification.permission;
        },
        requestPermission: () => Notification.requestPermission(),
        show: (title: string, body: string, tag: string) => void new Notification(title, { body, tag }),
      },
    } : {}),
  });
  const [notifyState, setNotifyState] = createSignal(alerts.state());
  const baseTitle = document.title;
  const visible = () => document.hidden || setHiddenMentions(0);
  document.addEventListener('visibilitychange', visible);
  // The moderators' report queue, read every few seconds while signed in.
  const [reports, setReports] = createSignal<OpenReport[]>([]);
  const pollReports = async () => {
    if (!remover.moderator()) return void setReports([]);
    const list = await remover.reports();
    if (list === null) {
      setModerator(false);
      setReports([]);
      return void tell('The moderator token was not accepted; you are signed out.', undefined);
    }
    if (list) setReports(list);
  };
  const reportsTimer = setInterval(() => void pollReports(), REPORTS_POLL_MS);
  const tell = (problem: string | undefined, done: string | undefined) => setNotice(problem ? { text: problem, error: true } : done ? { text: done, error: false } : undefined);
  const client = makeChatClient({
    wsOrigin: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`,
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    storage: localStorage,
    newId: newClientId,
    // A copy: reconcile writes into the objects the store holds, which must not be the client's own.
    onChange: () => setState(reconcile(structuredClone(client.snapshot()), { key: 'key', merge: true })),
    onIncoming(m) {
      if (ignore.has(m.username)) return;
      setAnnouncement(`${m.username}: ${m.text}`);
      if (!mentions(m.text, client.snapshot().me?.username) || !document.hidden) return;
      setHiddenMentions((n) => n + 1);
      alerts.mentioned(m);
    },
    moderatorToken: remover.token,
    onRefused: (message) => tell(message, undefined),
    isIgnored: (name) => ignore.has(name),
    onPrivate(m) {
      setAnnouncement(`Private message from ${m.from}: ${m.text}`);
      if (document.hidden) alerts.mentioned({ id: m.id, username: m.from, room: 'private', text: m.text });
    },
  });
  const [state, setState] = createStore<ChatSnapshot>(structuredClone(client.snapshot()));
  const snapshot = (): ChatSnapshot => state;
  const [browserOnline, setBrowserOnline] = createSignal(navigator.onLine);
  const online = () => {
    setBrowserOnline(true);
    client.reconnectNow();
  };
  const offline = () => {
    setBrowserOnline(false);
    client.networkLost();
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  createEffect(() => {
    const privateUnread = snapshot().private.threads.reduce((n, t) => n + t.unread, 0);
    const elsewhere = Object.values(snapshot().mentions).reduce((a, b) => a + b, 0) + privateUnread;
    document.title = titleWith(baseTitle, hiddenMentions() + elsewhere);
  });
  client.start();
  onCleanup(() => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
    document.removeEventListener('visibilitychange', visible);
    client.stop();
    clearInterval(reportsTimer);
  });
  return {
    snapshot,
    announcement,
    browserOnline,
    send(text: string) {
      const problem = client.send(text, replyingTo());
      if (problem === undefined) setReplyingTo(undefined);
      return problem;
    },
    /** The message the composer replies to, if any. */
    replyingTo,
    startReply: (m: ChatMessage) => setReplyingTo(m),
    cancelReply: () => setReplyingTo(undefined),
    /** Shows the original of a reply (loading older pages if needed); tells the user when it is gone. */
    async showOriginal(offset: number) {
      if (!(await jumpTo(client, offset))) tell('That message is no longer in the history.', undefined);
    },
    retry: (clientId: string) => client.retry(clientId),
    discard: (clientId: string) => client.discard(clientId),
    reconnectNow: () => client.reconnectNow(),
    loadOlder: () => client.loadOlder(),
    search: (query: string) => client.search(query),
    reveal: (offset: number) => client.reveal(offset),
    react(m: ChatMessage, emoji: string, on: boolean) {
      if (!client.react(m.offset, emoji, on)) tell('Not connected right now; react again in a moment.', undefined);
    },
    /** Browser notifications for mentions: 'on', 'off', 'blocked' or 'unsupported'. */
    notifyState,
    async toggleNotify() {
      setNotifyState(await alerts.toggle());
    },
    /** Names to suggest after "@": online in the room (asked for on first use). */
    loadNames: () => client.loadNames(),
    /** Private threads: open one with a name (instead of the room), go back, write, opt out. */
    openThread: (peer: string) => client.openThread(peer),
    closeThread: () => client.closeThread(),
    sendPrivate: (text: string) => client.sendPrivate(text),
    setPrivateOff: (off: boolean) => client.setPrivateOff(off),
    /** Enters the current passcode room; the reason when refused. */
    enterPasscode: (passcode: string) => client.enterPasscode(passcode),
    /** Makes a new room that needs a passcode and goes there; the reason when refused. */
    async createRoom(room: string, passcode: string) {
      const problem = await client.createRoom(room, passcode);
      if (!problem) history.replaceState(null, '', `#${room}`);
      return problem;
    },
    /** A new anonymous name for this browser. */
    rename() {
      if (!client.rename()) tell('Not connected right now; try again in a moment.', undefined);
    },
    /** The user typed: others see "… is typing" for a few seconds. */
    typing: () => client.typing(),
    moderator,
    notice,
    signInModerator(token: string) {
      remover.signIn(token);
      setModerator(true);
      client.moderate();
      void pollReports();
    },
    reports,
    /** How long the moderator's Time out buttons time someone out, in minutes. */
    timeoutMinutes,
    setTimeoutMinutes,
    async report(m: ChatMessage, reason: string) {
      const problem = await remover.report(m, reason, snapshot().me?.token);
      tell(problem, 'Reported. Thank you: the moderators will look at it.');
    },
    async dismissReport(id: string) {
      const problem = await remover.dismiss(id);
      tell(problem, undefined);
      await pollReports();
    },
    signOutModerator() {
      remover.signOut();
      setModerator(false);
      client.moderate();
    },
    async setSlowMode(seconds: number) {
      setNotice(undefined);
      const problem = await remover.setSlowMode(snapshot().room, seconds);
      setModerator(remover.moderator());
      tell(problem, seconds === 0 ? 'Slow mode is off.' : `Slow mode is on: one message per ${seconds} s.`);
    },
    canRemove(m: ChatMessage) {
      moderator(); // evaluated again on signing in or out
      const s = snapshot();
      return remover.canRemove(m, s.me?.username, s.limits?.authorDeleteWindowMs, Date.now());
    },
    async remove(m: ChatMessage) {
      setNotice(undefined);
      const problem = await remover.remove(m, snapshot().me?.token);
      setModerator(remover.moderator());
      tell(problem, undefined);
      if (!problem) client.markRemoved(m.offset);
    },
    async timeOut(m: ChatMessage) {
      setNotice(undefined);
      const minutes = timeoutMinutes();
      const problem = await remover.timeOut(m, minutes);
      setModerator(remover.moderator());
      tell(problem, `${m.username} is timed out for ${TIMEOUT_CHOICES.find(([n]) => n === minutes)?.[1] ?? `${minutes} min`}.`);
    },
    /** Names whose messages show as a placeholder (this browser only). */
    ignored,
    toggleIgnore(name: string) {
      ignore.toggle(name);
      setIgnored(new Set(ignore.names()));
    },
    switchRoom(room: string) {
      history.replaceState(null, '', `#${room}`);
      setReplyingTo(undefined);
      client.switchRoom(room);
    },
  };
}

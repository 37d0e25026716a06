// Connected / reconnecting with a countdown / offline, with a way to retry at once.
import { createSignal, Match, onCleanup, Switch } from 'solid-js';
import type { ConnectionState } from '../lib/connection.ts';

export function ConnectionBadge(props: { state: ConnectionState; browserOnline: boolean; onRetry: () => void }) {
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 250);
  onCleanup(() => clearInterval(tick));
  const status = () => (!props.browserOnline && props.state.status !== 'connected' ? 'offline' : props.state.status);
  const seconds = () => (props.state.status === 'waiting' ? Math.max(0, Math.ceil((props.state.retryAt - now()) / 1000)) : 0);
  return (
    <div class="badge" data-status={status()} role="status" aria-live="polite">
      <span class="badge-dot" aria-hidden="true" />
      <Switch>
        <Match when={status() === 'connected'}><span class="badge-text">Connected</span></Match>
        <Match when={status() === 'connecting'}><span class="badge-text">Connecting…</span></Match>
        <Match when={status() === 'waiting'}>
          <span class="badge-text">Reconnecting in {seconds()} s</span>
          <button type="button" class="link-button" onClick={() => props.onRetry()}>Retry now</button>
        </Match>
        <Match when={status() === 'offline'}><span class="badge-text">Offline: waiting for the network</span></Match>
        <Match when={status() === 'stopped'}>
          <span class="badge-text">Disconnected</span>
          <button type="button" class="link-button" onClick={() => props.onRetry()}>Reconnect</button>
        </Match>
      </Switch>
    </div>
  );
}

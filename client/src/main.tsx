// Mounts the chat, or the Kafka monitor at /monitor (a separate chunk, loaded only there).
// Fonts and images ship with the build; nothing loads from other hosts.
import '@fontsource-variable/nunito';
import './styles/app.css';
import { render } from 'solid-js/web';

const root = document.getElementById('root') as HTMLElement;
if (location.pathname.replace(/\/+$/, '') === '/monitor') {
  const { MonitorApp } = await import('./monitor/monitor-app.tsx');
  await import('./styles/monitor.css');
  render(() => <MonitorApp />, root);
} else {
  const { App } = await import('./app.tsx');
  render(() => <App />, root);
}

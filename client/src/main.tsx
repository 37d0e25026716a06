// Mounts the app. Fonts and images ship with the build; nothing loads from other hosts.
import '@fontsource-variable/nunito';
import './styles/app.css';
import { render } from 'solid-js/web';
import { App } from './app.tsx';

render(() => <App />, document.getElementById('root') as HTMLElement);

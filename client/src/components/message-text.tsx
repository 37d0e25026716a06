// A message's text: plain text nodes, with web addresses as links that open in a new tab and
// tell the target nothing (no opener, no referrer, not endorsed), and @mentions marked (mine
// stand out). No previews.
import { For, Match, Switch } from 'solid-js';
import { splitMessage } from '../lib/links.ts';

export function MessageText(props: { text: string; me?: string }) {
  return (
    <p class="text">
      <For each={splitMessage(props.text)}>
        {(part) => (
          <Switch fallback={part.text}>
            <Match when={part.kind === 'link' && part}>
              {(link) => <a href={link().href} target="_blank" rel="noopener noreferrer nofollow ugc">{link().text}</a>}
            </Match>
            <Match when={part.kind === 'mention' && part}>
              {(m) => <span class="mention" data-me={m().name.toLowerCase() === props.me?.toLowerCase() ? 'true' : 'false'}>{m().text}</span>}
            </Match>
          </Switch>
        )}
      </For>
    </p>
  );
}

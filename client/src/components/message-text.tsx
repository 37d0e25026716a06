// A message's text: plain text nodes, with web addresses as links that open in a new tab and
// tell the target nothing (no opener, no referrer, not endorsed). No previews.
import { For } from 'solid-js';
import { splitLinks } from '../lib/links.ts';

export function MessageText(props: { text: string }) {
  return (
    <p class="text">
      <For each={splitLinks(props.text)}>
        {(part) => (part.kind === 'link'
          ? <a href={part.href} target="_blank" rel="noopener noreferrer nofollow ugc">{part.text}</a>
          : part.text)}
      </For>
    </p>
  );
}

// Brings a message of the current room into view: loads older pages until it is shown (through
// scrollback), scrolls it to the middle and highlights it for a moment. Used by search results
// and by the quote of a reply.
import type { ChatClient } from './chat-client.ts';

/** False when the message is no longer in the history. */
export async function jumpTo(chat: Pick<ChatClient, 'reveal'>, offset: number): Promise<boolean> {
  const shown = await chat.reveal(offset);
  if (!shown) return false;
  // After the list has rendered (and any pin-to-bottom has run), bring it into view.
  setTimeout(() => {
    const el = document.querySelector<HTMLElement>(`.message[data-offset="${offset}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.dataset.highlight = 'true';
    setTimeout(() => delete el.dataset.highlight, 2500);
  }, 50);
  return true;
}

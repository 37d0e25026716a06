// Reactions under a message: a chip per emoji with its count (pressed when it is mine; who
// reacted shows on hover, focus or a long press), and a button that opens a small picker with
// a few defaults and a field for any emoji.
import { createSignal, For, Show } from 'solid-js';
import { DEFAULT_REACTIONS, reactionEmoji, type Reactions } from '@anime-universe/protocol';
import { reactionChips } from '../lib/reaction-view.ts';

export interface ReactionBarProps {
  reactions: Reactions | undefined;
  me: string | undefined;
  /** Adds (`on`) or takes back my reaction. */
  onReact: (emoji: string, on: boolean) => void;
  picking: boolean;
  setPicking: (open: boolean) => void;
}

const LONG_PRESS_MS = 450;

export function ReactionBar(props: ReactionBarProps) {
  const [held, setHeld] = createSignal<string | undefined>();
  const [custom, setCustom] = createSignal('');
  let pressTimer: ReturnType<typeof setTimeout> | undefined;
  const chips = () => reactionChips(props.reactions, props.me);
  const pick = (emoji: string) => {
    const mine = chips().find((c) => c.emoji === emoji)?.mine ?? false;
    props.onReact(emoji, !mine);
    props.setPicking(false);
  };
  const submitCustom = (e: SubmitEvent) => {
    e.preventDefault();
    const emoji = reactionEmoji(custom());
    if (!emoji) return;
    setCustom('');
    pick(emoji);
  };
  return (
    <div class="reactions">
      <For each={chips()}>
        {(chip) => (
          <button
            type="button" class="reaction-chip" aria-pressed={chip.mine} data-emoji={chip.emoji}
            aria-label={`${chip.emoji} ${chip.count}: ${chip.who}. ${chip.mine ? 'Take back your reaction' : 'React with this too'}`}
            onClick={() => (held() === chip.emoji ? setHeld(undefined) : props.onReact(chip.emoji, !chip.mine))}
            onPointerDown={(e) => {
              if (e.pointerType !== 'touch') return;
              pressTimer = setTimeout(() => setHeld(chip.emoji), LONG_PRESS_MS);
            }}
            onPointerUp={() => clearTimeout(pressTimer)}
            onPointerLeave={() => {
              clearTimeout(pressTimer);
              setHeld(undefined);
            }}
            onContextMenu={(e) => e.preventDefault()}
          >
            <span aria-hidden="true">{chip.emoji}</span> <span class="count" aria-hidden="true">{chip.count}</span>
            <span class="who" role="tooltip" data-held={held() === chip.emoji ? 'true' : 'false'}>{chip.who}</span>
          </button>
        )}
      </For>
      <button type="button" class="reaction-add" aria-expanded={props.picking} aria-label="Add a reaction" onClick={() => props.setPicking(!props.picking)}>
        <span aria-hidden="true">☺+</span>
      </button>
      <Show when={props.picking}>
        <div class="reaction-picker" role="group" aria-label="Pick a reaction" onKeyDown={(e) => e.key === 'Escape' && props.setPicking(false)}>
          <For each={DEFAULT_REACTIONS}>
            {(emoji) => <button type="button" class="reaction-choice" aria-label={`React with ${emoji}`} onClick={() => pick(emoji)}>{emoji}</button>}
          </For>
          <form class="reaction-custom" onSubmit={submitCustom}>
            <input aria-label="Any emoji" placeholder="any emoji" maxLength={16} value={custom()} onInput={(e) => setCustom(e.currentTarget.value)} />
            <button type="submit" class="link-button" disabled={!reactionEmoji(custom())}>Add</button>
          </form>
        </div>
      </Show>
    </div>
  );
}

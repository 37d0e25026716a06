// A round avatar coloured from the name, with its initials.
import { avatarHue, avatarInitials } from '../lib/avatar.ts';

export function Avatar(props: { name: string; size?: 'sm' | 'md' }) {
  return (
    <span
      class="avatar"
      data-size={props.size ?? 'md'}
      style={{ '--hue': String(avatarHue(props.name)) }}
      aria-hidden="true"
    >
      {avatarInitials(props.name)}
    </span>
  );
}

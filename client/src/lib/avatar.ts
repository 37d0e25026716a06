// A stable avatar per name: initials and a hue derived from the name, so everyone sees the
// same colour for the same person without any images.

export function avatarHue(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return Math.abs(h) % 360;
}

/** "SleepyKitsune42" -> "SK"; falls back to the first two letters. */
export function avatarInitials(name: string): string {
  const capitals = name.match(/[A-Z]/g);
  if (capitals && capitals.length >= 2) return capitals.slice(0, 2).join('');
  return name.replace(/[^A-Za-z0-9]/g, '').slice(0, 2).toUpperCase() || '?';
}

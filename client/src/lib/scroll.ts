// Whether a scroll container shows its newest content (within a small tolerance).
export function isNearBottom(el: { scrollTop: number; scrollHeight: number; clientHeight: number }, tolerancePx = 48): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight <= tolerancePx;
}

// Event-loop delay: a timer every `everyMs` notes how late it fired. A busy loop (a long
// synchronous task, garbage collection, CPU starvation) shows up as delay; a healthy one is ~0.
export function sampleLoopDelay(record: (ms: number) => void, everyMs = 20): () => void {
  let expected = performance.now() + everyMs;
  let timer: ReturnType<typeof setTimeout>;
  const tick = () => {
    const now = performance.now();
    record(Math.max(0, now - expected));
    expected = now + everyMs;
    timer = setTimeout(tick, everyMs);
  };
  timer = setTimeout(tick, everyMs);
  return () => clearTimeout(timer);
}

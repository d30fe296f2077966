/**
 * Runs `task(0..n-1)` in index order with at most `window` in flight; stops dispatching once
 * `stop()` is true and waits for everything started to settle. A task that returns nothing
 * finished synchronously and takes no slot.
 */
export async function windowed(
  n: number,
  window: number,
  task: (index: number) => Promise<void> | undefined,
  stop: () => boolean,
): Promise<void> {
  let next = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  const done = () => {
    inFlight--;
    const w = wake;
    wake = null;
    w?.();
  };
  while (next < n && !stop()) {
    if (inFlight >= window) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      continue;
    }
    const running = task(next++);
    if (running === undefined) continue;
    inFlight++;
    void running.then(done, done);
  }
  while (inFlight > 0) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
}

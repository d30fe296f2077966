/**
 * True when `done` settles within `ms`, false when the time runs out first (`done` is left to
 * settle on its own). BullMQ's and ioredis's close calls can wait for ever while Redis is
 * away; every close here is bounded with this.
 *
 * @param done - what to wait for
 * @param ms - the longest wait
 * @returns whether it settled in time
 */
export async function within(done: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([
      done.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

import { abortError } from "@echelon/core/plugin";

/** Returned by {@link Channel.pull} once the channel is closed and drained. */
export const CLOSED: unique symbol = Symbol("closed");

/**
 * A bounded FIFO between two pipeline stages: `push` waits while the buffer is full
 * (backpressure), `pull` waits while it is empty. Both reject with the cancellation error
 * when the signal aborts.
 */
export class Channel<T> {
  private readonly buffer: T[] = [];
  private closed = false;
  private readonly dataWaiters: Array<() => void> = [];
  private readonly spaceWaiters: Array<() => void> = [];
  /** Most items ever buffered at once. */
  maxBuffered = 0;

  /**
   * @param capacity - most items buffered
   * @param signal - aborts every wait
   */
  constructor(
    private readonly capacity: number,
    private readonly signal: AbortSignal,
  ) {}

  /** Adds an item, waiting for space. */
  async push(item: T): Promise<void> {
    while (this.buffer.length >= this.capacity) await this.wait(this.spaceWaiters);
    if (this.signal.aborted) throw abortError(this.signal);
    this.buffer.push(item);
    this.maxBuffered = Math.max(this.maxBuffered, this.buffer.length);
    this.dataWaiters.shift()?.();
  }

  /** Takes the next item, waiting for one; {@link CLOSED} once closed and empty. */
  async pull(): Promise<T | typeof CLOSED> {
    while (this.buffer.length === 0 && !this.closed) await this.wait(this.dataWaiters);
    if (this.signal.aborted) throw abortError(this.signal);
    if (this.buffer.length === 0) return CLOSED;
    const item = this.buffer.shift()!;
    this.spaceWaiters.shift()?.();
    return item;
  }

  /** No more items will be pushed. */
  close(): void {
    this.closed = true;
    for (const wake of this.dataWaiters.splice(0)) wake();
  }

  private wait(queue: Array<() => void>): Promise<void> {
    if (this.signal.aborted) return Promise.reject(abortError(this.signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = queue.indexOf(wake);
        if (i >= 0) queue.splice(i, 1);
        reject(abortError(this.signal));
      };
      const wake = () => {
        this.signal.removeEventListener("abort", onAbort);
        resolve();
      };
      queue.push(wake);
      this.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** Counters of a store's writes since it opened. */
export interface WriteStats {
  /** Transactions committed (one fsync each with `synchronous: "full"`). */
  readonly transactions: number;
  /** Transactions that failed and were rolled back (their events stay buffered and are retried). */
  readonly failedTransactions: number;
  /** Events committed. */
  readonly eventsWritten: number;
  /** Rows inserted or updated: event batches (one per run and transaction), plans, shapes and run updates. */
  readonly rowsWritten: number;
  /** Events appended and not committed yet. */
  readonly pendingEvents: number;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What the buffer needs from the database side. */
export interface BatchSink<T> {
  /** Writes one batch in one transaction; returns rows written; throws when nothing was written. */
  write(batch: readonly T[]): number;
  /** The error `commit()` rejects with when a batch of `events` events failed with `cause`. */
  failure(events: number, cause: unknown): unknown;
}

/**
 * Buffers appended items and writes them in batches: one transaction per turn of the event loop
 * (`setImmediate`), or at once when `batchSize` items wait, whichever comes first. `commit()`
 * resolves when everything appended before it is written (group commit: every commit of one
 * turn shares one transaction). A failed batch stays at the head of the buffer and is retried
 * by the next write; the commits waiting for it reject.
 */
export class WriteBuffer<T> {
  private readonly pending: T[] = [];
  private readonly waiters: Waiter[] = [];
  private appended = 0;
  private committed = 0;
  private scheduled: NodeJS.Immediate | null = null;
  /** An item that could not be buffered at all: the next commit reports it. */
  private lost: unknown = null;
  private counts = { transactions: 0, failedTransactions: 0, eventsWritten: 0, rowsWritten: 0 };

  constructor(
    private readonly sink: BatchSink<T>,
    private readonly batchSize: number,
  ) {}

  /** Buffers one item; writes at once when the batch is full, else on the next turn. */
  push(item: T): void {
    this.pending.push(item);
    this.appended++;
    if (this.pending.length >= this.batchSize) this.flush();
    else this.schedule();
  }

  /** Records that an item could not be appended: the next `commit()` rejects with `error`. */
  lose(error: unknown): void {
    this.lost = error;
  }

  /** Items appended and not written yet, oldest first. */
  get buffered(): readonly T[] {
    return this.pending;
  }

  /** Resolves once everything appended so far is written; rejects when a batch fails. */
  commit(): Promise<void> {
    if (this.lost !== null) {
      const lost = this.lost;
      this.lost = null;
      return Promise.reject(lost);
    }
    const target = this.appended;
    if (this.committed >= target) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ target, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Writes everything buffered now, in batches of `batchSize` (synchronously).
   *
   * @returns the failure, or `null` when everything was written
   */
  flush(): unknown {
    if (this.scheduled !== null) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    let failure: unknown = null;
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, this.batchSize);
      try {
        const rows = this.sink.write(batch);
        this.pending.splice(0, batch.length);
        this.committed += batch.length;
        this.counts.transactions++;
        this.counts.eventsWritten += batch.length;
        this.counts.rowsWritten += rows;
      } catch (error) {
        this.counts.failedTransactions++;
        failure = this.sink.failure(this.pending.length, error);
        break;
      }
    }
    this.settle(failure);
    return failure;
  }

  /** Counters since the buffer was created. */
  stats(): WriteStats {
    return { ...this.counts, pendingEvents: this.pending.length };
  }

  /** Resolves the commits that are written; rejects those a failed batch holds back. */
  private settle(failure: unknown): void {
    if (this.waiters.length === 0) return;
    const waiting = this.waiters.splice(0);
    for (const w of waiting) {
      if (w.target <= this.committed) w.resolve();
      else if (failure !== null) w.reject(failure);
      else this.waiters.push(w);
    }
  }

  private schedule(): void {
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null;
      this.flush();
    });
  }
}

import { writeFileSync } from "node:fs";
import type { SqliteEventStore } from "@echelon/store-sqlite";
import type {
  CancelRequestOutcome,
  ClaimOptions,
  EchelonEvent,
  EventStore,
  Lease,
  PruneOptions,
  RunSummary,
} from "echelon";

/**
 * Where the child process dies. `event`: once `at` events are committed (with `batchSize: 1`
 * each `append` commits its own transaction before it returns, so this is "right after journal
 * write K"). `transaction`: once `at` transactions are committed (the store's own batching).
 * `afterType`: once the first event of `type` (at `nodePath`, when given) and `extra` more events
 * are committed. `parent`: the child does not kill itself; the parent SIGKILLs it (right after
 * it wrote a cancel request to the journal).
 */
export type KillPoint =
  | { readonly unit: "event"; readonly at: number }
  | { readonly unit: "transaction"; readonly at: number }
  | {
      readonly unit: "afterType";
      readonly type: string;
      readonly nodePath?: string;
      readonly extra: number;
    }
  | { readonly unit: "parent" };

/** What the child writes just before it kills itself. */
export interface KillNote {
  readonly point: KillPoint;
  readonly transactions: number;
  readonly eventsWritten: number;
  readonly pendingEvents: number;
}

/**
 * An {@link EventStore} that delegates every member to an SQLite store and SIGKILLs its own
 * process at a {@link KillPoint}: the crash happens between two commits, never inside one,
 * and nothing of the process runs after it (no `finally`, no exit handler, no flush).
 *
 * The check runs after every member call and, for batched writes, in an immediate queued right
 * behind the store's own flush, so the process dies after transaction T and before T + 1
 * (a batch that fills up is written inside `append`, and any `append` after transaction T
 * already kills).
 */
export class KillSwitchStore implements EventStore {
  readonly name: string;
  private armed: boolean;
  private target: number | null;
  private checkQueued = false;

  /**
   * @param inner - the real journal
   * @param point - where to die, `null` for a fault-free run
   * @param notePath - file the {@link KillNote} is written to before the kill
   */
  constructor(
    private readonly inner: SqliteEventStore,
    private readonly point: KillPoint | null,
    private readonly notePath: string | null,
  ) {
    this.name = inner.name;
    this.armed = point !== null;
    this.target = point === null || point.unit === "afterType" || point.unit === "parent" ? null : point.at;
  }

  append(event: EchelonEvent): void {
    this.check();
    this.inner.append(event);
    const point = this.point;
    if (
      point?.unit === "afterType" &&
      this.target === null &&
      event.type === point.type &&
      (point.nodePath === undefined || event.nodePath === point.nodePath)
    ) {
      // The event's position in the journal (1-based), then `extra` more.
      const { eventsWritten, pendingEvents } = this.inner.stats();
      this.target = eventsWritten + pendingEvents + point.extra;
    }
    this.check();
    if (this.armed && !this.checkQueued && this.inner.stats().pendingEvents > 0) {
      // Queued after the store's flush (it scheduled its immediate first): checks right after it.
      this.checkQueued = true;
      setImmediate(() => {
        this.checkQueued = false;
        this.check();
      });
    }
  }

  read(orchestrationId: string): readonly EchelonEvent[] {
    return this.inner.read(orchestrationId);
  }

  list(): readonly string[] {
    return this.after(this.inner.list());
  }

  async commit(): Promise<void> {
    await this.inner.commit();
    this.check();
  }

  async summaries(options?: { readonly limit?: number }): Promise<readonly RunSummary[]> {
    return this.after(await this.inner.summaries(options));
  }

  claim(orchestrationId: string, owner: string, ttlMs: number, options?: ClaimOptions): Promise<Lease> {
    return this.inner.claim(orchestrationId, owner, ttlMs, options);
  }

  release(orchestrationId: string, owner: string): Promise<void> {
    return this.inner.release(orchestrationId, owner);
  }

  async requestCancel(orchestrationId: string): Promise<CancelRequestOutcome> {
    return this.after(await this.inner.requestCancel(orchestrationId));
  }

  cancelRequested(orchestrationId: string): Promise<boolean> {
    return this.inner.cancelRequested(orchestrationId);
  }

  async prune(options: PruneOptions): Promise<number> {
    return this.after(await this.inner.prune(options));
  }

  close(): Promise<void> {
    this.check();
    return this.inner.close();
  }

  private after<T>(value: T): T {
    this.check();
    return value;
  }

  /** Dies when the kill point is reached (committed counts only: what a crash keeps). */
  private check(): void {
    if (!this.armed || this.target === null || this.point === null || this.point.unit === "parent") return;
    const stats = this.inner.stats();
    const reached = this.point.unit === "transaction" ? stats.transactions : stats.eventsWritten;
    if (reached < this.target) return;
    this.armed = false;
    const note: KillNote = {
      point: this.point,
      transactions: stats.transactions,
      eventsWritten: stats.eventsWritten,
      pendingEvents: stats.pendingEvents,
    };
    if (this.notePath !== null) writeFileSync(this.notePath, JSON.stringify(note));
    process.kill(process.pid, "SIGKILL");
    // SIGKILL to oneself ends the process before the call returns; never go on regardless.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}

import type { EchelonEvent } from "../events/event-map.js";
import type { OrchestrationState } from "../model/result.js";

/** One journaled orchestration, as `list`-style queries return it. */
export interface RunSummary {
  /** Id of the orchestration. */
  readonly orchestrationId: string;
  /** Id of its task (the plan's root node id); `""` when the journal holds no `orchestration:started`. */
  readonly taskId: string;
  /** State as of its last journaled event (`running` for a run that crashed). */
  readonly state: OrchestrationState;
  /** Wall-clock start, epoch milliseconds (`null` while unknown). */
  readonly startedAtEpochMs: number | null;
  /** Wall-clock end, epoch milliseconds (`null` while running or unknown). */
  readonly endedAtEpochMs: number | null;
  /** Hash of the plan's definition (`hashPlan` of the plan in `orchestration:started`). */
  readonly planHash: string | null;
  /** The process holding the run's lease, while one does. */
  readonly owner: string | null;
  /** True when another process asked for the run to be cancelled. */
  readonly cancelRequested: boolean;
}

/** A lease on one run: only its owner may run or resume it until it expires. */
export interface Lease {
  /** The run the lease is on. */
  readonly orchestrationId: string;
  /** Who holds it: the orchestrator's `ownerId` (by default host, pid and a random suffix). */
  readonly owner: string;
  /** Wall-clock expiry, epoch ms. */
  readonly expiresAtEpochMs: number;
}

/** How {@link EventStore.claim} may take a lease. */
export interface ClaimOptions {
  /**
   * Also take an unexpired lease when exactly this owner holds it: the caller knows that owner
   * is gone (core passes the owner id of a process on this host that no longer exists, so a
   * run resumes at once after a crash instead of after the lease's TTL).
   */
  readonly takeOverFrom?: string;
}

/** What {@link EventStore.prune} removes: finished runs older than an age, beyond a count, or both. */
export interface PruneOptions {
  /** Remove finished runs that ended more than this many milliseconds ago. */
  readonly olderThanMs?: number;
  /** Keep at most this many finished runs (the newest). */
  readonly keep?: number;
}

/** What happened to a cancel request made through the store. */
export type CancelRequestOutcome = "requested" | "already-finished" | "unknown";

/**
 * Where an orchestrator's journal of events lives. Events are JSON; the run-state fold rebuilds
 * a run's status from them. The three required members are all a journal needs; the optional
 * ones make a store **durable and shared between processes** (the SQLite store implements all;
 * so does the memory store, within one process), which the orchestrator then uses:
 *
 * - `commit` — a task counts as done only once its events are committed;
 * - `claim` / `release` — one process owns a run (runs or resumes it) at a time;
 * - `requestCancel` / `cancelRequested` — `echelon cancel` from another process;
 * - `summaries` / `prune` — `echelon list` and retention.
 *
 * `@echelon/testing`'s `describeStoreConformance(makeStore)` checks every member; a networked
 * store (PostgreSQL, …) is another plugin that passes the same suite.
 */
export interface EventStore {
  /** Name of the store, for diagnostics. */
  readonly name: string;
  /**
   * Appends one event. Fast (the hot path calls it); a durable store buffers and writes in
   * batches (see `commit`). Throws a coded error only when the journal cannot be written.
   */
  append(event: EchelonEvent): void;
  /** Every event of one orchestration, in order (empty when unknown). */
  read(orchestrationId: string): readonly EchelonEvent[] | Promise<readonly EchelonEvent[]>;
  /**
   * Optional: hands every event of one orchestration to `visit`, in order, one at a time: the
   * events `read` returns, without holding them all. A resume folds a long journal this way
   * (each event dies young, which keeps garbage collection cheap). `visit` must not call the
   * store; an error it throws stops the read and is thrown as is.
   */
  readEach?(orchestrationId: string, visit: (event: EchelonEvent) => void): void | Promise<void>;
  /** Ids of the orchestrations it holds, oldest first. */
  list(): readonly string[] | Promise<readonly string[]>;
  /**
   * Resolves once every event appended so far is durable; rejects with
   * `ECHELON_STORE_WRITE_FAILED` (the cause attached) when it cannot be. Absent: appends are
   * final when `append` returns.
   */
  commit?(): Promise<void>;
  /** Summaries of the runs it holds, newest first (at most `limit`). */
  summaries?(options?: { readonly limit?: number }): Promise<readonly RunSummary[]>;
  /**
   * Takes (or renews) the lease on a run for `owner`, valid `ttlMs` from now; with
   * `options.takeOverFrom`, also when that owner holds an unexpired lease. Atomic: of two
   * claims at once, one wins.
   *
   * @throws EchelonError `ECHELON_STORE_LEASE_HELD` naming the owner and expiry when another owner holds an unexpired lease
   */
  claim?(orchestrationId: string, owner: string, ttlMs: number, options?: ClaimOptions): Promise<Lease>;
  /** Gives a lease up (only its owner can). */
  release?(orchestrationId: string, owner: string): Promise<void>;
  /** Records a request to cancel a run; the process running it sees it through `cancelRequested`. */
  requestCancel?(orchestrationId: string): Promise<CancelRequestOutcome>;
  /** True when a cancel was requested for the run. Polled by the owner (at least once a second). */
  cancelRequested?(orchestrationId: string): Promise<boolean>;
  /** Removes finished runs by age and count; running runs are never removed. @returns how many were removed */
  prune?(options: PruneOptions): Promise<number>;
  /** Flushes and closes the store (after this, nothing is appended). */
  close?(): Promise<void>;
}

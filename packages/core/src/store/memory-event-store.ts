import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EchelonEvent } from "../events/event-map.js";
import type { Plan } from "../model/task.js";
import { hashPlan } from "../plan/plan-hash.js";
import { isFinalState } from "../run-state/run-state.js";
import { MAX_RETAINED_BYTES } from "../util/estimate-bytes.js";
import type {
  CancelRequestOutcome,
  ClaimOptions,
  EventStore,
  Lease,
  PruneOptions,
  RunSummary,
} from "./event-store.js";
import { estimateEventBytes } from "./retained-size.js";

/** Default {@link MemoryEventStoreOptions.maxBytes}: 32 MiB of finished runs' journals. */
export const DEFAULT_MEMORY_STORE_MAX_BYTES = 32 * 2 ** 20;

/** Options of {@link MemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Orchestrations kept (an integer, 1 to 1,000,000); the oldest finished one is dropped beyond this. Default 100. */
  readonly maxOrchestrations?: number;
  /**
   * Estimated bytes of heap the journals of finished runs may hold together (an integer, 0 to
   * 2^53 − 1); the oldest finished runs are dropped beyond this, running ones never. A finished
   * run larger than the bound by itself is dropped as soon as it ends; 0 keeps no finished
   * journal. Events are measured once, when appended (see `estimateEventBytes`). Default
   * {@link DEFAULT_MEMORY_STORE_MAX_BYTES} (32 MiB).
   */
  readonly maxBytes?: number;
}

interface MemoryRun {
  readonly events: EchelonEvent[];
  /** Estimated bytes of `events`. */
  bytes: number;
  taskId: string;
  state: RunSummary["state"];
  startedAtEpochMs: number | null;
  endedAtEpochMs: number | null;
  plan: Plan | null;
  lease: Lease | null;
  cancelRequested: boolean;
}

/**
 * The default store: the events of the most recent orchestrations, in this process's memory.
 * It implements the {@link EventStore} contract (leases, cancel requests, summaries, retention)
 * but `commit`: an append is final when it returns, and nothing survives the process. Finished
 * runs are kept within two bounds, a count (`maxOrchestrations`) and an estimated size
 * (`maxBytes`), and dropped oldest first; a running run is never dropped.
 *
 * @example
 * ```ts
 * const store = new MemoryEventStore({ maxBytes: 16 * 2 ** 20 }); // 16 MiB of finished journals
 * const orchestrator = new HierarchicalOrchestrator({ eventStore: store, agents });
 * ```
 */
export class MemoryEventStore implements EventStore {
  readonly name = "memory";
  private readonly runs = new Map<string, MemoryRun>();
  private readonly maxOrchestrations: number;
  private readonly maxBytes: number;
  /** Estimated bytes of the finished runs' journals together. */
  private finishedBytes = 0;

  /**
   * @param options - retention
   * @throws EchelonError `ECHELON_CONFIG_INVALID` when `maxOrchestrations` is not an integer from 1 to
   *   1,000,000, or `maxBytes` not an integer from 0 to 2^53 − 1
   */
  constructor(options: MemoryEventStoreOptions = {}) {
    this.maxOrchestrations = bounded("maxOrchestrations", options.maxOrchestrations ?? 100, 1, 1_000_000);
    this.maxBytes = bounded(
      "maxBytes",
      options.maxBytes ?? DEFAULT_MEMORY_STORE_MAX_BYTES,
      0,
      MAX_RETAINED_BYTES,
    );
  }

  /** Estimated bytes the journals it holds take, running runs included. */
  get retainedBytes(): number {
    let bytes = 0;
    for (const run of this.runs.values()) bytes += run.bytes;
    return bytes;
  }

  append(event: EchelonEvent): void {
    const run = this.run(event.orchestrationId);
    const bytes = estimateEventBytes(event);
    run.events.push(event);
    run.bytes += bytes;
    const wasFinished = isFinalState(run.state);
    if (wasFinished) this.finishedBytes += bytes;
    switch (event.type) {
      case "orchestration:started":
        run.taskId = event.taskId;
        run.state = "running";
        run.startedAtEpochMs = event.startedAtEpochMs;
        run.plan = event.plan;
        // The id was used again: the run is no longer finished.
        if (wasFinished) this.finishedBytes -= run.bytes;
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled":
        run.state = event.result.state;
        run.endedAtEpochMs = Date.now();
        if (!wasFinished) this.finishedBytes += run.bytes;
        // One that can never fit goes at once, without pushing older ones out first.
        if (run.bytes > this.maxBytes) this.drop(event.orchestrationId);
        else this.evictBytes();
        return;
      default:
        return;
    }
  }

  read(orchestrationId: string): readonly EchelonEvent[] {
    return this.runs.get(orchestrationId)?.events ?? [];
  }

  list(): readonly string[] {
    return [...this.runs.keys()];
  }

  async summaries(options: { readonly limit?: number } = {}): Promise<readonly RunSummary[]> {
    const all = [...this.runs.entries()].reverse().map(([id, run]) => this.summary(id, run));
    return options.limit === undefined ? all : all.slice(0, options.limit);
  }

  async claim(
    orchestrationId: string,
    owner: string,
    ttlMs: number,
    options: ClaimOptions = {},
  ): Promise<Lease> {
    const run = this.run(orchestrationId);
    const now = Date.now();
    const held = run.lease;
    const free = held === null || held.owner === owner || held.owner === options.takeOverFrom;
    if (!free && held.expiresAtEpochMs > now) throw leaseHeld(held);
    run.lease = { orchestrationId, owner, expiresAtEpochMs: now + ttlMs };
    return run.lease;
  }

  async release(orchestrationId: string, owner: string): Promise<void> {
    const run = this.runs.get(orchestrationId);
    if (run?.lease?.owner === owner) run.lease = null;
  }

  async requestCancel(orchestrationId: string): Promise<CancelRequestOutcome> {
    const run = this.runs.get(orchestrationId);
    if (run === undefined) return "unknown";
    if (isFinalState(run.state)) return "already-finished";
    run.cancelRequested = true;
    return "requested";
  }

  async cancelRequested(orchestrationId: string): Promise<boolean> {
    return this.runs.get(orchestrationId)?.cancelRequested ?? false;
  }

  async prune(options: PruneOptions): Promise<number> {
    const now = Date.now();
    const finished = [...this.runs.entries()].filter(([, r]) => isFinalState(r.state));
    const doomed = new Set<string>();
    if (options.olderThanMs !== undefined) {
      for (const [id, r] of finished)
        if (now - (r.endedAtEpochMs ?? now) > options.olderThanMs) doomed.add(id);
    }
    if (options.keep !== undefined) {
      const excess = finished.length - options.keep;
      for (let i = 0; i < excess; i++) doomed.add(finished[i]![0]);
    }
    for (const id of doomed) this.drop(id);
    return doomed.size;
  }

  async close(): Promise<void> {}

  private run(orchestrationId: string): MemoryRun {
    let run = this.runs.get(orchestrationId);
    if (run === undefined) {
      run = {
        events: [],
        bytes: 0,
        taskId: "",
        state: "pending",
        startedAtEpochMs: null,
        endedAtEpochMs: null,
        plan: null,
        lease: null,
        cancelRequested: false,
      };
      this.runs.set(orchestrationId, run);
      this.evict();
    }
    return run;
  }

  /** Drops the oldest finished runs beyond the count bound (running ones are never dropped). */
  private evict(): void {
    if (this.runs.size <= this.maxOrchestrations) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.maxOrchestrations) return;
      if (isFinalState(run.state) || run.state === "pending") this.drop(id);
    }
  }

  /** Drops the oldest finished runs while their journals exceed `maxBytes` (running ones are never dropped). */
  private evictBytes(): void {
    if (this.finishedBytes <= this.maxBytes) return;
    for (const [id, run] of this.runs) {
      if (this.finishedBytes <= this.maxBytes) return;
      if (isFinalState(run.state)) this.drop(id);
    }
  }

  private drop(orchestrationId: string): void {
    const run = this.runs.get(orchestrationId);
    if (run === undefined) return;
    if (isFinalState(run.state)) this.finishedBytes -= run.bytes;
    this.runs.delete(orchestrationId);
  }

  private summary(orchestrationId: string, run: MemoryRun): RunSummary {
    const lease = run.lease !== null && run.lease.expiresAtEpochMs > Date.now() ? run.lease : null;
    return {
      orchestrationId,
      taskId: run.taskId,
      state: run.state,
      startedAtEpochMs: run.startedAtEpochMs,
      endedAtEpochMs: run.endedAtEpochMs,
      planHash: run.plan === null ? null : hashPlan(run.plan),
      owner: lease?.owner ?? null,
      cancelRequested: run.cancelRequested,
    };
  }
}

/** An integer option within bounds, or `ECHELON_CONFIG_INVALID`. */
function bounded(option: string, value: number, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw new EchelonError(
    CoreErrorCode.CONFIG_INVALID,
    `MemoryEventStore: ${option} must be an integer from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}, got ${String(value)}.`,
    { details: { option, value: String(value) } },
  );
}

/**
 * The error a store's `claim` throws for a run whose lease another owner holds, so every store
 * refuses the same way.
 *
 * @param lease - the unexpired lease of the other owner
 * @returns an `ECHELON_STORE_LEASE_HELD` error naming the owner and the expiry, the lease as `details`
 */
export function leaseHeld(lease: Lease): EchelonError {
  return new EchelonError(
    CoreErrorCode.STORE_LEASE_HELD,
    `Orchestration "${lease.orchestrationId}" is owned by "${lease.owner}" until ${new Date(lease.expiresAtEpochMs).toISOString()}. Wait for that process to finish or for the lease to expire.`,
    { details: { ...lease } },
  );
}

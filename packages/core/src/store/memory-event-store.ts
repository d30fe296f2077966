import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EchelonEvent } from "../events/event-map.js";
import type { Plan } from "../model/task.js";
import { hashPlan } from "../plan/plan-hash.js";
import { isFinalState } from "../run-state/run-state.js";
import type {
  CancelRequestOutcome,
  ClaimOptions,
  EventStore,
  Lease,
  PruneOptions,
  RunSummary,
} from "./event-store.js";

/** Options of {@link MemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Orchestrations kept (an integer, 1 to 1,000,000); the oldest finished one is dropped beyond this. Default 100. */
  readonly maxOrchestrations?: number;
}

interface MemoryRun {
  readonly events: EchelonEvent[];
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
 * but `commit`: an append is final when it returns, and nothing survives the process.
 */
export class MemoryEventStore implements EventStore {
  readonly name = "memory";
  private readonly runs = new Map<string, MemoryRun>();
  private readonly maxOrchestrations: number;

  /**
   * @param options - retention
   * @throws EchelonError `ECHELON_CONFIG_INVALID` when `maxOrchestrations` is not an integer from 1 to 1,000,000
   */
  constructor(options: MemoryEventStoreOptions = {}) {
    const max = options.maxOrchestrations ?? 100;
    if (!Number.isInteger(max) || max < 1 || max > 1_000_000) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `MemoryEventStore: maxOrchestrations must be an integer from 1 to 1,000,000, got ${String(max)}.`,
        { details: { option: "maxOrchestrations", value: String(max) } },
      );
    }
    this.maxOrchestrations = max;
  }

  append(event: EchelonEvent): void {
    const run = this.run(event.orchestrationId);
    run.events.push(event);
    switch (event.type) {
      case "orchestration:started":
        run.taskId = event.taskId;
        run.state = "running";
        run.startedAtEpochMs = event.startedAtEpochMs;
        run.plan = event.plan;
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled":
        run.state = event.result.state;
        run.endedAtEpochMs = Date.now();
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
    for (const id of doomed) this.runs.delete(id);
    return doomed.size;
  }

  async close(): Promise<void> {}

  private run(orchestrationId: string): MemoryRun {
    let run = this.runs.get(orchestrationId);
    if (run === undefined) {
      run = {
        events: [],
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

  /** Drops the oldest finished runs beyond the bound (running ones are never dropped). */
  private evict(): void {
    if (this.runs.size <= this.maxOrchestrations) return;
    for (const [id, run] of this.runs) {
      if (this.runs.size <= this.maxOrchestrations) return;
      if (isFinalState(run.state) || run.state === "pending") this.runs.delete(id);
    }
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

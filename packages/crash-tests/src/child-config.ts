import type { Phase } from "./effects-ledger.js";
import type { KillPoint } from "./kill-switch-store.js";
import type { PlanName } from "./plans.js";

/** What the parent tells a child process (as JSON in `argv[2]`). */
export interface ChildConfig {
  /** `run` starts the plan; `resume` calls `orchestrator.resume(id)`. */
  readonly phase: Phase;
  readonly plan: PlanName;
  /** Leaves of the `map-reduce` plan. */
  readonly leaves?: number;
  /** The orchestration id. */
  readonly id: string;
  /** The SQLite journal. */
  readonly db: string;
  /** Events per transaction (1: every append commits at once). Default: the store's default. */
  readonly batchSize?: number;
  /** The effects and attempts files of the {@link EffectsLedger}. */
  readonly effects: string;
  readonly attempts: string;
  /** Where to SIGKILL this process, and where to note it first. */
  readonly kill?: KillPoint;
  readonly killNote?: string;
  /** Where the child writes its {@link ChildOutput}. */
  readonly out: string;
  /** Resume only: where to write the journal as the crash left it (read before resuming). */
  readonly journalBefore?: string;
  /** A file created when a `wait-for-cancel` step starts waiting. */
  readonly waiting?: string;
  /** How often the orchestrator polls for cancel requests (ms). */
  readonly cancelPollMs?: number;
  /** False only to prove the checks catch an agent that ignores idempotency keys. */
  readonly honourKeys?: boolean;
}

/** What a child that was not killed writes. */
export interface ChildOutput {
  /** The orchestration's result, as JSON. */
  readonly result: unknown;
  /** The store's write counters. */
  readonly stats: {
    readonly transactions: number;
    readonly eventsWritten: number;
  };
}

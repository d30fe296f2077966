import type {
  CancelRequestOutcome,
  Lease,
  OrchestrationState,
  PruneOptions,
  RunSummary,
} from "@echelon/core";
import { hashPlan, type Plan } from "@echelon/core";
import { leaseHeld } from "@echelon/core/plugin";
import type Database from "better-sqlite3";
import { decodeStoredPlan } from "./codec/plan.js";

type SummaryRow = readonly [
  orchestrationId: string,
  taskId: string,
  state: OrchestrationState,
  startedAtMs: number | null,
  endedAtMs: number | null,
  planHash: string | null,
  leaseOwner: string | null,
  leaseExpiresAtMs: number | null,
  cancelRequestedAtMs: number | null,
  runId: number,
  planId: number | null,
];

const FINISHED = "('completed', 'failed', 'cancelled')";

/** The `runs` table: summaries, leases, cancel requests and pruning. */
export class RunTable {
  private readonly sql;
  /** Plan hashes computed by this process, by plan id (when they could not be saved). */
  private readonly planHashes = new Map<number, string>();
  private readonly claimTx: Database.Transaction<
    (id: string, owner: string, ttlMs: number, takeOverFrom: string | null) => Lease
  >;
  private readonly cancelTx: Database.Transaction<(id: string) => CancelRequestOutcome>;
  private readonly pruneTx: Database.Transaction<(options: PruneOptions) => string[]>;

  constructor(db: Database.Database) {
    this.sql = {
      list: db.prepare("SELECT orchestration_id FROM runs ORDER BY id").pluck(),
      summaries: db
        .prepare(
          `SELECT orchestration_id, task_id, state, started_at_ms, ended_at_ms, plan_hash,
                  lease_owner, lease_expires_at_ms, cancel_requested_at_ms, id, plan_id
           FROM runs ORDER BY id DESC LIMIT ?`,
        )
        .raw(),
      plan: db.prepare("SELECT body, encoding FROM plans WHERE id = ? AND run_id = ?").raw(),
      savePlanHash: db.prepare(
        "UPDATE runs SET plan_hash = ? WHERE id = ? AND plan_id = ? AND plan_hash IS NULL",
      ),
      insertRun: db.prepare(
        "INSERT INTO runs (orchestration_id, created_at_ms) VALUES (?, ?) ON CONFLICT (orchestration_id) DO NOTHING",
      ),
      lease: db.prepare("SELECT lease_owner, lease_expires_at_ms FROM runs WHERE orchestration_id = ?").raw(),
      setLease: db.prepare(
        "UPDATE runs SET lease_owner = ?, lease_expires_at_ms = ? WHERE orchestration_id = ?",
      ),
      release: db.prepare(
        "UPDATE runs SET lease_owner = NULL, lease_expires_at_ms = NULL WHERE orchestration_id = ? AND lease_owner = ?",
      ),
      state: db.prepare("SELECT state FROM runs WHERE orchestration_id = ?").pluck(),
      requestCancel: db.prepare(
        "UPDATE runs SET cancel_requested_at_ms = coalesce(cancel_requested_at_ms, ?) WHERE orchestration_id = ?",
      ),
      cancelRequested: db
        .prepare("SELECT cancel_requested_at_ms IS NOT NULL FROM runs WHERE orchestration_id = ?")
        .pluck(),
      finished: db
        .prepare(`SELECT id, orchestration_id, ended_at_ms FROM runs WHERE state IN ${FINISHED} ORDER BY id`)
        .raw(),
      deleteEvents: db.prepare("DELETE FROM event_batches WHERE run_id = ?"),
      deletePlans: db.prepare("DELETE FROM plans WHERE run_id = ?"),
      deleteRun: db.prepare("DELETE FROM runs WHERE id = ?"),
    };
    this.claimTx = db.transaction((id, owner, ttlMs, takeOverFrom) =>
      this.claimIn(id, owner, ttlMs, takeOverFrom),
    );
    this.cancelTx = db.transaction((id) => this.requestCancelIn(id));
    this.pruneTx = db.transaction((options) => this.pruneIn(options));
  }

  /** Ids of the runs, oldest first. */
  list(): string[] {
    return this.sql.list.all() as string[];
  }

  /** Summaries, newest first. */
  summaries(limit: number | undefined, now: number): RunSummary[] {
    const rows = this.sql.summaries.all(limit ?? -1) as SummaryRow[];
    return rows.map((r) => ({
      orchestrationId: r[0],
      taskId: r[1],
      state: r[2],
      startedAtEpochMs: r[3],
      endedAtEpochMs: r[4],
      planHash: r[5] ?? (r[10] === null ? null : this.planHash(r[9], r[10])),
      owner: r[6] !== null && r[7] !== null && r[7] > now ? r[6] : null,
      cancelRequested: r[8] !== null,
    }));
  }

  /**
   * The hash of a run's plan (core's `hashPlan`), computed from its stored plan the first time
   * it is asked for and saved in `runs.plan_hash` (best effort: a busy or read-only file only
   * keeps it in this process). `null` when the plan cannot be read.
   */
  private planHash(runId: number, planId: number): string | null {
    let hash = this.planHashes.get(planId);
    if (hash !== undefined) return hash;
    try {
      const row = this.sql.plan.get(planId, runId) as [Buffer, number] | undefined;
      if (row === undefined) return null;
      hash = hashPlan(decodeStoredPlan(row[0], row[1]) as Plan);
    } catch {
      // A damaged plan: reading the run reports it; a summary just has no hash.
      return null;
    }
    this.planHashes.set(planId, hash);
    try {
      this.sql.savePlanHash.run(hash, runId, planId);
    } catch {
      // Saving is an optimisation: the hash is the same when computed again.
    }
    return hash;
  }

  /** Takes or renews a lease, in one immediate transaction (so two processes cannot both win). */
  claim(orchestrationId: string, owner: string, ttlMs: number, takeOverFrom: string | null): Lease {
    return this.claimTx.immediate(orchestrationId, owner, ttlMs, takeOverFrom);
  }

  /** Gives a lease up when `owner` holds it. */
  release(orchestrationId: string, owner: string): void {
    this.sql.release.run(orchestrationId, owner);
  }

  /** Records a cancel request, unless the run is unknown or finished. */
  requestCancel(orchestrationId: string): CancelRequestOutcome {
    return this.cancelTx.immediate(orchestrationId);
  }

  /** True when a cancel was requested for the run. */
  cancelRequested(orchestrationId: string): boolean {
    return this.sql.cancelRequested.get(orchestrationId) === 1;
  }

  /** Removes finished runs by age and count. @returns the ids removed */
  prune(options: PruneOptions): string[] {
    return this.pruneTx.immediate(options);
  }

  private claimIn(orchestrationId: string, owner: string, ttlMs: number, takeOverFrom: string | null): Lease {
    const now = Date.now();
    this.sql.insertRun.run(orchestrationId, now);
    const [heldBy, expiresAt] = this.sql.lease.get(orchestrationId) as [string | null, number | null];
    const other = heldBy !== null && heldBy !== owner && heldBy !== takeOverFrom;
    if (other && expiresAt !== null && expiresAt > now) {
      throw leaseHeld({ orchestrationId, owner: heldBy, expiresAtEpochMs: expiresAt });
    }
    const lease: Lease = { orchestrationId, owner, expiresAtEpochMs: now + ttlMs };
    this.sql.setLease.run(owner, lease.expiresAtEpochMs, orchestrationId);
    return lease;
  }

  private requestCancelIn(orchestrationId: string): CancelRequestOutcome {
    const state = this.sql.state.get(orchestrationId) as string | undefined;
    if (state === undefined) return "unknown";
    if (state === "completed" || state === "failed" || state === "cancelled") return "already-finished";
    this.sql.requestCancel.run(Date.now(), orchestrationId);
    return "requested";
  }

  private pruneIn(options: PruneOptions): string[] {
    const now = Date.now();
    const finished = this.sql.finished.all() as [number, string, number | null][];
    const doomed = new Map<number, string>();
    if (options.olderThanMs !== undefined) {
      for (const [id, orchestrationId, endedAt] of finished)
        if (now - (endedAt ?? now) > options.olderThanMs) doomed.set(id, orchestrationId);
    }
    if (options.keep !== undefined) {
      const excess = finished.length - options.keep;
      for (let i = 0; i < excess; i++) doomed.set(finished[i]![0], finished[i]![1]);
    }
    for (const id of doomed.keys()) {
      this.sql.deleteEvents.run(id);
      this.sql.deletePlans.run(id);
      this.sql.deleteRun.run(id);
    }
    return [...doomed.values()];
  }
}

import type { AgentContext } from "@echelon/core";
import { EchelonError } from "@echelon/core";
import { TransportErrorCode } from "./errors.js";
import type { JobFacts, RemoteJobData } from "./job-data.js";
import { decodeFailure, successOutput } from "./wire.js";

/** One enqueued attempt the orchestrator waits for. */
export interface PendingJob {
  /** The job's id (changes once, to the long id, when an older host refused a compact-id job). */
  jobId: string;
  /** The attempt's facts. */
  readonly facts: JobFacts;
  /** The job's data as added (re-encoded in version 1 when an older host refused version 2 or 3). */
  data: RemoteJobData;
  readonly ctx: AgentContext;
  readonly promise: Promise<unknown>;
  /** True once BullMQ acknowledged the add (the job exists, or existed, in Redis). */
  enqueued: boolean;
  /** Epoch ms when Redis last showed the job unfinished (or when it was enqueued). */
  checkedAt: number;
  /** A `duplicated` event said the job existed before this enqueue: look at it at once. */
  recheck: boolean;
  /** A reconcile is reading it now. */
  checking: boolean;
  settled: boolean;
  /** Settled by the task's signal: the job, if it exists, must be cancelled on its host. */
  cancelled: boolean;
  /** Being enqueued again in payload version 1 (an older host refused a newer one): failures seen meanwhile are stale. */
  redoing: boolean;
  settle(outcome: { readonly value: unknown } | { readonly error: unknown }): boolean;
}

/** An older host's refusal of payload version `version` (2 or 3; every release reads version 1). */
function refuses(error: unknown, version: number): boolean {
  const e = error as { code?: unknown; details?: { version?: unknown } };
  return version !== 1 && e.code === TransportErrorCode.JOB_INVALID && e.details?.version === version;
}

/**
 * The attempts an agent type waits for, by job id. Each settles once: the first outcome
 * (an event, or what a reconcile read from Redis) wins and every later one is dropped — the
 * result of a job is recorded once however often it was delivered.
 */
export class PendingJobs {
  private readonly jobs = new Map<string, PendingJob>();

  /**
   * @param refused - called (instead of failing the attempt) when a host of an older release
   *   refused the job because it does not read the job's payload version; it enqueues the job
   *   again (in version 1, under the id that version implies: see {@link PendingJobs.rekey})
   */
  constructor(private readonly refused: (entry: PendingJob) => void = () => {}) {}

  /** How many attempts are waiting. */
  get size(): number {
    return this.jobs.size;
  }

  /** Registers an attempt; it leaves the map when it settles. */
  add(jobId: string, facts: JobFacts, data: RemoteJobData, ctx: AgentContext): PendingJob {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const jobs = this.jobs;
    const entry: PendingJob = {
      jobId,
      facts,
      data,
      ctx,
      promise,
      enqueued: false,
      checkedAt: Date.now(),
      recheck: false,
      checking: false,
      settled: false,
      cancelled: false,
      redoing: false,
      settle(outcome) {
        if (entry.settled) return false;
        entry.settled = true;
        if (jobs.get(entry.jobId) === entry) jobs.delete(entry.jobId);
        if ("error" in outcome) reject(outcome.error);
        else resolve(outcome.value);
        return true;
      },
    };
    this.jobs.set(jobId, entry);
    return entry;
  }

  /**
   * Files a waiting attempt under another job id (its job is re-added under that id); events
   * of the old id are ignored from now on.
   *
   * @param entry - the attempt
   * @param jobId - its new job id
   */
  rekey(entry: PendingJob, jobId: string): void {
    if (entry.settled || entry.jobId === jobId) return;
    if (this.jobs.get(entry.jobId) === entry) this.jobs.delete(entry.jobId);
    entry.jobId = jobId;
    this.jobs.set(jobId, entry);
  }

  /** The attempt waiting for `jobId`, if any. */
  get(jobId: string): PendingJob | undefined {
    return this.jobs.get(jobId);
  }

  /** A job completed: its output (an Echelon host's envelope) settles the attempt. */
  completed(jobId: string, returnvalue: unknown): void {
    const entry = this.jobs.get(jobId);
    if (entry === undefined) return;
    const success = successOutput(returnvalue);
    if (success !== null) {
      entry.settle({ value: success.output });
      return;
    }
    entry.settle({
      error: new EchelonError(
        TransportErrorCode.JOB_INVALID,
        `Job "${jobId}" was completed by a worker that is not an Echelon worker host (its result has no envelope). Give Echelon its own queue.`,
        { details: { jobId, retryable: false } },
      ),
    });
  }

  /** A job failed: its reason (an Echelon host's coded error, or BullMQ's own) fails the attempt. */
  failed(jobId: string, reason: string): void {
    const entry = this.jobs.get(jobId);
    if (entry === undefined || entry.redoing) return;
    const { error, stop } = decodeFailure(reason, jobId);
    if (refuses(error, entry.data.v)) {
      this.refused(entry);
      return;
    }
    if (stop) entry.ctx.stopOrchestration?.(error);
    entry.settle({ error });
  }

  /** A host reported progress. */
  progress(jobId: string, data: unknown): void {
    const entry = this.jobs.get(jobId);
    if (entry === undefined || entry.settled || typeof data !== "object" || data === null) return;
    const { p, m } = data as { p?: unknown; m?: unknown };
    if (typeof p === "number") entry.ctx.report(p, typeof m === "string" ? m : undefined);
  }

  /** A `duplicated` event: the job existed before this enqueue; it is read from Redis at the next reconcile. */
  duplicated(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (entry === undefined) return false;
    entry.recheck = true;
    return true;
  }

  /** Enqueued attempts to look at in Redis: unseen for `intervalMs`, or flagged. */
  due(now: number, intervalMs: number): PendingJob[] {
    const out: PendingJob[] = [];
    for (const entry of this.jobs.values()) {
      if (!entry.enqueued || entry.checking) continue;
      if (entry.recheck || now - entry.checkedAt >= intervalMs) out.push(entry);
    }
    return out;
  }

  /** Fails every waiting attempt (the agent type is closing). */
  rejectAll(error: unknown): void {
    for (const entry of [...this.jobs.values()]) entry.settle({ error });
  }
}

import type { Logger } from "@echelon/core";
import { RedisNames } from "./keys.js";
import type { PendingJob, PendingJobs } from "./pending-jobs.js";
import type { Live } from "./dispatcher-live.js";
import type { DispatcherSettings } from "./remote-dispatcher.js";
import { tokenOf } from "./job-data.js";

/** What the {@link Reconciler} works with. */
export interface ReconcilerParts {
  readonly pending: PendingJobs;
  readonly settings: DispatcherSettings;
  readonly live: () => Live | null;
  readonly enqueue: (entry: PendingJob) => Promise<void>;
  readonly logger: () => Logger;
}

/**
 * Compares the attempts an agent type waits for with what Redis holds, so that no attempt
 * waits for ever on an event it missed or a job that no longer exists:
 *
 * - finished in Redis (the `completed`/`failed` event was missed, or the job had finished
 *   before this process enqueued it — a resume) → settled from the job's stored outcome;
 * - failed, but by an enqueue of another process (a crashed run's attempt) → removed and
 *   enqueued again, so a resume re-runs it instead of reporting a stale failure;
 * - gone (Redis restarted without persistence, or was flushed) → enqueued again with the same
 *   job id and payload.
 *
 * Runs every `reconcileIntervalMs` for attempts unseen that long, for every attempt after the
 * producer reconnects, and at once for an attempt whose add was a duplicate. One pipelined
 * `HMGET` per attempt looked at; nothing on the hot path.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  private forceAll = false;

  constructor(private readonly parts: ReconcilerParts) {}

  /** Starts the periodic check. */
  startTimer(): void {
    if (this.timer !== null) return;
    const every = this.parts.settings.reconcileIntervalMs;
    this.timer = setInterval(() => void this.run(false), Math.max(50, Math.floor(every / 2)));
    this.timer.unref();
  }

  /** Stops the periodic check. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** Checks flagged attempts soon (after the current events are handled). */
  soon(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const all = this.forceAll;
      this.forceAll = false;
      void this.run(all);
    });
  }

  /** Checks every waiting attempt soon (the producer reconnected). */
  all(): void {
    this.forceAll = true;
    this.soon();
  }

  private async run(all: boolean): Promise<void> {
    const live = this.parts.live();
    if (live === null || live.producer.status !== "ready") return;
    const { pending, settings } = this.parts;
    const due = pending.due(Date.now(), all ? 0 : settings.reconcileIntervalMs);
    if (due.length === 0) return;
    for (const entry of due) {
      entry.checking = true;
      entry.recheck = false;
    }
    try {
      const pipeline = live.producer.pipeline();
      for (const entry of due) {
        pipeline.hmget(
          RedisNames.job(settings.prefix, settings.queue, entry.jobId),
          "finishedOn",
          "returnvalue",
          "failedReason",
          "data",
        );
      }
      const replies = (await pipeline.exec()) ?? [];
      due.forEach((entry, i) => {
        const [error, fields] = replies[i] ?? [null, null];
        if (error === null && Array.isArray(fields)) this.apply(live, entry, fields as (string | null)[]);
      });
    } catch (error) {
      this.parts.logger().warn("could not read waiting jobs from Redis; trying again later", {
        message: error instanceof Error ? error.message : String(error),
      });
    } finally {
      for (const entry of due) entry.checking = false;
    }
  }

  private apply(live: Live, entry: PendingJob, fields: (string | null)[]): void {
    if (entry.settled) return;
    const [finishedOn, returnvalue, failedReason, data] = fields;
    const { pending, logger, settings } = this.parts;
    if (finishedOn === null && data === null) {
      logger().warn("a job vanished from Redis (restarted without persistence?); enqueuing it again", {
        jobId: entry.jobId,
        queue: settings.queue,
      });
      void this.parts.enqueue(entry);
      return;
    }
    if (finishedOn === null || finishedOn === undefined) {
      entry.checkedAt = Date.now();
      return;
    }
    if (failedReason !== null && failedReason !== undefined) {
      if (storedToken(data) === entry.facts.token) {
        pending.failed(entry.jobId, failedReason);
        return;
      }
      // A failure of another process's enqueue (the run crashed and is being resumed): run it again.
      logger().info("re-running a job that failed before this run was resumed", { jobId: entry.jobId });
      live.queue
        .remove(entry.jobId)
        .then(() => this.parts.enqueue(entry))
        .catch((error: unknown) => entry.settle({ error }));
      return;
    }
    if (returnvalue !== null && returnvalue !== undefined) {
      try {
        pending.completed(entry.jobId, JSON.parse(returnvalue));
      } catch (error) {
        entry.settle({ error });
      }
    }
  }
}

function storedToken(data: string | null | undefined): string | undefined {
  if (data === null || data === undefined) return undefined;
  try {
    return tokenOf(JSON.parse(data));
  } catch {
    return undefined;
  }
}

import type { EchelonError, Logger } from "@echelon/core";
import type { Redis } from "ioredis";
import { type CancelMessage, RedisNames, readCancelMessage } from "./keys.js";
import { type ErrorData, toError } from "./wire.js";

/** A job running on this host, as the cancel channel sees it. */
export interface RunningJob {
  readonly queue: string;
  readonly jobId: string;
  /** Aborts the job's signal with `reason`. */
  abort(reason: EchelonError): void;
  /** Aborts the job and hands it back to the queue instead of failing it (host shutdown). */
  giveBack(reason: EchelonError): void;
}

/** Cancel requests remembered for jobs not running here (yet): at most this many, for this long. */
const RECENT_MAX = 10_000;
const RECENT_MS = 10 * 60_000;

/**
 * The worker host's end of the cancel channel. The orchestrator publishes a cancel request on
 * the queue's channel and also stores it under a key with a TTL. Here:
 *
 * - a request for a job running on this host aborts that job's signal at once, with the
 *   orchestrator's reason (`ECHELON_TASK_TIMEOUT`, `ECHELON_CANCELLED`, …);
 * - a request for a job not running here is remembered for ten minutes, so a job this host
 *   takes later is aborted before its agent starts;
 * - after the subscriber reconnects (requests published meanwhile were missed), and for a job
 *   that starts while it is disconnected, the stored keys of the running jobs are read.
 */
export class HostCancels {
  /** Running jobs by queue, then job id. */
  private readonly running = new Map<string, Map<string, RunningJob>>();
  private readonly recent = new Map<string, { reason: ErrorData; at: number }>();
  private readonly channels: Map<string, string>;
  private subscribedOnce = false;

  constructor(
    private readonly subscriber: Redis,
    private readonly commands: Redis,
    private readonly prefix: string,
    queues: readonly string[],
    private readonly logger: Logger,
  ) {
    this.channels = new Map(queues.map((q) => [RedisNames.cancelChannel(prefix, q), q]));
    for (const queue of queues) this.running.set(queue, new Map());
  }

  /** Subscribes to the queues' channels (resolves once subscribed). */
  async start(): Promise<void> {
    this.subscriber.on("message", (channel: string, text: string) => this.onMessage(channel, text));
    this.subscriber.on("ready", () => {
      if (this.subscribedOnce) void this.readKeys(this.all());
    });
    await this.subscriber.subscribe(...this.channels.keys());
    this.subscribedOnce = true;
  }

  /** Starts following a job; aborts it at once when its cancel request came first. */
  track(job: RunningJob): void {
    this.jobsOf(job.queue).set(job.jobId, job);
    // No key to build on the hot path when no cancel request waits.
    const key = this.recent.size === 0 ? null : `${job.queue}\u0000${job.jobId}`;
    const early = key === null ? undefined : this.recent.get(key);
    if (early !== undefined) {
      this.recent.delete(key!);
      job.abort(toError(early.reason));
    } else if (this.subscriber.status !== "ready") {
      void this.readKeys([job]);
    }
  }

  /** Stops following a job. */
  untrack(queue: string, jobId: string): void {
    this.running.get(queue)?.delete(jobId);
  }

  /** The job running here under that id, if any. */
  find(queue: string, jobId: string): RunningJob | undefined {
    return this.running.get(queue)?.get(jobId);
  }

  /** Every job running here. */
  all(): RunningJob[] {
    const jobs: RunningJob[] = [];
    for (const byId of this.running.values()) for (const job of byId.values()) jobs.push(job);
    return jobs;
  }

  /** Running jobs of a queue (made on first use for a queue not served from the start). */
  private jobsOf(queue: string): Map<string, RunningJob> {
    let byId = this.running.get(queue);
    if (byId === undefined) {
      byId = new Map();
      this.running.set(queue, byId);
    }
    return byId;
  }

  private onMessage(channel: string, text: string): void {
    const queue = this.channels.get(channel);
    const message = readCancelMessage(text);
    if (queue === undefined || message === null) return;
    this.apply(queue, message);
  }

  private apply(queue: string, message: CancelMessage): void {
    const key = `${queue}\u0000${message.jobId}`;
    const job = this.find(queue, message.jobId);
    if (job !== undefined) {
      this.logger.info("cancel request: aborting the job", {
        queue,
        jobId: message.jobId,
        code: message.reason.code,
      });
      job.abort(toError(message.reason));
      return;
    }
    const now = Date.now();
    this.recent.set(key, { reason: message.reason, at: now });
    for (const [k, v] of this.recent) {
      if (this.recent.size <= RECENT_MAX && now - v.at < RECENT_MS) break;
      this.recent.delete(k);
    }
  }

  private async readKeys(jobs: readonly RunningJob[]): Promise<void> {
    if (jobs.length === 0) return;
    try {
      const values = await this.commands.mget(
        ...jobs.map((j) => RedisNames.cancelKey(this.prefix, j.queue, j.jobId)),
      );
      values.forEach((text, i) => {
        const message = readCancelMessage(text);
        if (message !== null) this.apply(jobs[i]!.queue, message);
      });
    } catch (error) {
      this.logger.warn("could not read cancel requests from Redis", {
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

import type { AgentContext, AgentWork, Logger } from "@echelon/core";
import { EchelonError, silentLogger } from "@echelon/core";
import { abortError, raceAbort } from "@echelon/core/plugin";
import type { JobsOptions } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { describeRedis, openRedis } from "./connection.js";
import {
  beforeDeadline,
  closeLive,
  type Live,
  openLive,
  readyBy,
  redisUnavailable,
  requestCancel,
  TIMED_OUT,
} from "./dispatcher-live.js";
import { TransportErrorCode } from "./errors.js";
import { JobId, jobIdFor } from "./job-id.js";
import { type PendingJob, PendingJobs } from "./pending-jobs.js";
import { ConnectionWatch } from "./connection-watch.js";
import { Reconciler } from "./reconciler.js";
import { encodeJobData, type JobFacts, type RemoteJobData, type WireVersion } from "./job-data.js";
import { describeError } from "./wire.js";

/** How long a dispatcher writes payload version 1 after a host refused a newer version, ms. */
const DOWNGRADE_MS = 10 * 60_000;

/** Settings of one remote agent type's dispatcher (validated by `remoteAgent`). */
export interface DispatcherSettings {
  readonly typeName: string;
  readonly redis: RedisOptions;
  readonly queue: string;
  readonly prefix: string;
  readonly offered: readonly string[];
  readonly connectTimeoutMs: number;
  readonly reconcileIntervalMs: number;
  readonly keepJobsForMs: number;
  /** Payload version written (version 1 for a while after an older host refused a newer one). */
  readonly wireVersion: WireVersion;
}

/**
 * The orchestrator's side of one remote agent type: one producer connection and one
 * `QueueEvents` reader shared by all its agents, the attempts waiting for results, the cancel
 * channel, and the reconciler that finds results whose event was missed and jobs Redis lost.
 * Connections open on first use and close when the last agent is disposed.
 */
export class RemoteDispatcher {
  private live: Promise<Live> | null = null;
  private producer: Redis | null = null;
  private opened: Live | null = null;
  private readonly pending = new PendingJobs((entry) => this.redo(entry));
  /** Epoch ms until which payload version 1 is written (an older host refused a newer version). */
  private downgradedUntil = 0;
  /** Tokens: random per dispatcher, then a counter (unique per enqueue, short). */
  private readonly tokenPrefix = crypto.randomUUID().slice(0, 8);
  private tokens = 0;
  private readonly reconciler: Reconciler;
  private readonly watch: ConnectionWatch;
  private readonly jobOptions: JobsOptions;
  private logger: Logger = silentLogger;
  private users = 0;
  /** Attempts whose add is in flight. */
  private readonly adding = new Set<PendingJob>();
  /** Attempts enqueued in this tick, added together at its end (see `flushBatch`). */
  private batch: PendingJob[] = [];
  /** Fails the adds in flight when the producer stays disconnected for `connectTimeoutMs`. */
  private outage: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;

  constructor(private readonly settings: DispatcherSettings) {
    const age = Math.ceil(settings.keepJobsForMs / 1000);
    this.jobOptions = { attempts: 1, removeOnComplete: { age }, removeOnFail: { age } };
    this.watch = new ConnectionWatch(
      () => this.logger,
      `queue "${settings.queue}" at ${describeRedis(settings.redis)}`,
    );
    this.reconciler = new Reconciler({
      pending: this.pending,
      settings,
      live: () => this.opened,
      enqueue: (entry) => this.enqueue(entry),
      logger: () => this.logger,
    });
  }

  /** Uses `logger` for connection trouble and reconciliations (the first spawn's logger). */
  useLogger(logger: Logger): void {
    if (this.logger === silentLogger) this.logger = logger;
  }

  /** One more agent uses the dispatcher. */
  acquire(): void {
    this.users++;
  }

  /** An agent was disposed; the last one closes the connections. */
  async release(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users === 0) await this.close();
  }

  /**
   * Opens the connections if needed and waits until Redis answers.
   *
   * @throws EchelonError `ECHELON_TRANSPORT_REDIS_UNAVAILABLE` after `connectTimeoutMs`
   */
  async check(): Promise<void> {
    const deadline = Date.now() + this.settings.connectTimeoutMs;
    const live = await beforeDeadline(this.start(), deadline);
    if (live === TIMED_OUT || (live.producer.status !== "ready" && !(await readyBy(live, deadline)))) {
      throw this.unavailable(null, Date.now() - (deadline - this.settings.connectTimeoutMs));
    }
  }

  /**
   * Enqueues one attempt and waits for its result.
   *
   * @returns the agent's output, from whichever host ran the job
   */
  run(work: AgentWork, ctx: AgentContext, levelIndex: number): Promise<unknown> {
    if (ctx.signal.aborted) return Promise.reject(abortError(ctx.signal));
    const version = this.version();
    // Versions 1 and 2 go with long ids, version 3 with compact ones (see `JobId`).
    const jobId = jobIdFor(ctx.idempotencyKey, ctx.attempt, version);
    const existing = this.pending.get(jobId);
    if (existing !== undefined) return existing.promise;
    const facts: JobFacts = {
      work,
      idempotencyKey: ctx.idempotencyKey,
      attempt: ctx.attempt,
      orchestrationId: ctx.orchestrationId,
      level: ctx.level,
      levelIndex,
      offered: this.settings.offered,
      token: `${this.tokenPrefix}${(++this.tokens).toString(36)}`,
    };
    const entry = this.pending.add(jobId, facts, encodeJobData(facts, version), ctx);
    const signal = ctx.signal;
    // core's raceAbort shares one native listener per signal (leaves without a timeout share
    // the run's signal): far cheaper than a listener per task. It rejects first on an abort.
    raceAbort(entry.promise, signal).catch(() => {
      if (!signal.aborted || !entry.settle({ error: abortError(signal) })) return;
      entry.cancelled = true;
      this.cancelRemote(entry, signal);
    });
    void this.enqueue(entry);
    return entry.promise;
  }

  /** The payload version to write now. */
  private version(): WireVersion {
    if (this.downgradedUntil === 0) return this.settings.wireVersion;
    if (Date.now() < this.downgradedUntil) return 1;
    this.downgradedUntil = 0;
    return this.settings.wireVersion;
  }

  /**
   * A host of an older release refused the job (it does not read the job's payload version;
   * every release reads version 1): write version 1 for a while, and replace the failed job by
   * the same job in version 1 (same token), under the long id version 1 implies.
   */
  private redo(entry: PendingJob): void {
    const live = this.opened;
    if (this.downgradedUntil === 0) {
      this.logger.warn(
        `a worker host of an older @echelon/transport-bullmq refused a job of payload version ${entry.data.v}; writing version 1 for ten minutes (upgrade the hosts, or set wireVersion: 1)`,
        { jobId: entry.jobId, queue: this.settings.queue },
      );
    }
    this.downgradedUntil = Date.now() + DOWNGRADE_MS;
    const refusedId = entry.jobId;
    entry.data = encodeJobData(entry.facts, 1);
    this.pending.rekey(entry, JobId.build(entry.facts.idempotencyKey, entry.facts.attempt));
    if (live === null) return;
    entry.redoing = true;
    live.queue
      .remove(refusedId)
      .then(() => {
        entry.redoing = false;
        return this.enqueue(entry);
      })
      .catch((error: unknown) => entry.settle({ error }));
  }

  /**
   * Adds the job (again, after Redis lost it), riding out a reconnect of up to
   * `connectTimeoutMs`. The hot path (connected) arms no timer and adds in batches: the
   * attempts enqueued in one tick go to Redis in one `addBulk` pipeline (see `flushBatch`). An
   * add in flight when the connection drops is failed by the outage watchdog instead (see `open`).
   */
  private enqueue(entry: PendingJob): Promise<void> {
    entry.enqueued = false;
    const live = this.opened;
    if (live !== null && live.producer.status === "ready" && !entry.settled) {
      this.adding.add(entry);
      this.batch.push(entry);
      if (this.batch.length === 1) process.nextTick(() => this.flushBatch(live));
      return Promise.resolve();
    }
    return this.enqueueOne(entry);
  }

  /**
   * Adds the attempts batched in this tick with one `addBulk` (one pipeline of BullMQ's add
   * scripts; each job still gets its own id, so a job that exists already is left as it is).
   * When the batch fails as a whole (the connection dropped, a command was refused), every
   * attempt of it goes through `enqueueOne`, which rides out a reconnect or fails that attempt
   * with its own error; adding a job that the batch did add is harmless (same job id).
   */
  private flushBatch(live: Live): void {
    const entries = this.batch;
    this.batch = [];
    const jobs: Array<{ name: string; data: RemoteJobData; opts: JobsOptions }> = [];
    const added: PendingJob[] = [];
    for (const entry of entries) {
      if (entry.settled) {
        this.adding.delete(entry);
        continue;
      }
      added.push(entry);
      jobs.push({
        name: entry.facts.work.taskId,
        data: entry.data,
        opts: { ...this.jobOptions, jobId: entry.jobId },
      });
    }
    if (jobs.length === 0) return;
    live.queue.addBulk(jobs).then(
      () => {
        const now = Date.now();
        for (const entry of added) {
          this.adding.delete(entry);
          this.added(entry, now);
        }
      },
      () => {
        for (const entry of added) {
          this.adding.delete(entry);
          if (!entry.settled) void this.enqueueOne(entry);
        }
      },
    );
  }

  /** What follows a successful add of `entry` at epoch ms `now`. */
  private added(entry: PendingJob, now: number): void {
    entry.enqueued = true;
    entry.checkedAt = now;
    // Aborted while the add was in flight: the job exists now, so it is cancelled like any other.
    // (Settled otherwise — its result arrived before the add's reply — there is nothing to do.)
    if (entry.cancelled) this.cancelRemote(entry, entry.ctx.signal);
    else if (!entry.settled && entry.recheck) this.reconciler.soon();
  }

  /** Adds one job on its own, waiting out a reconnect of up to `connectTimeoutMs`. */
  private async enqueueOne(entry: PendingJob): Promise<void> {
    const started = Date.now();
    const deadline = started + this.settings.connectTimeoutMs;
    const unavailable = () =>
      entry.settle({
        error: this.unavailable(`task "${entry.facts.work.nodePath}" was not enqueued`, Date.now() - started),
      });
    entry.enqueued = false;
    for (;;) {
      let live = this.opened;
      if (live === null || live.producer.status !== "ready") {
        const opened = await beforeDeadline(this.start(), deadline);
        if (entry.settled) return;
        if (opened === TIMED_OUT || !(await readyBy(opened, deadline))) {
          unavailable();
          return;
        }
        live = opened;
      }
      if (entry.settled) return;
      this.adding.add(entry);
      try {
        await live.queue.add(entry.facts.work.taskId, entry.data, { ...this.jobOptions, jobId: entry.jobId });
      } catch (error) {
        if (entry.settled) return;
        if (live.producer.status !== "ready") continue;
        entry.settle({
          error: new EchelonError(
            TransportErrorCode.JOB_FAILED,
            `Could not enqueue task "${entry.facts.work.nodePath}" on queue "${this.settings.queue}": ${error instanceof Error ? error.message : String(error)}.`,
            { cause: error, details: { jobId: entry.jobId, queue: this.settings.queue } },
          ),
        });
        return;
      } finally {
        this.adding.delete(entry);
      }
      this.added(entry, Date.now());
      return;
    }
  }

  /** Publishes a cancel for the job (see `requestCancel`), when it was enqueued and Redis is there. */
  private cancelRemote(entry: PendingJob, signal: AbortSignal): void {
    const live = this.opened;
    if (live === null || !entry.enqueued || live.producer.status !== "ready") return;
    requestCancel(live, this.settings, entry.jobId, describeError(abortError(signal))).catch(
      (error: unknown) =>
        this.logger.warn("could not publish a cancel request", {
          jobId: entry.jobId,
          message: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  private unavailable(what: string | null, waitedMs: number): EchelonError {
    return redisUnavailable(this.settings, what, waitedMs);
  }

  /** Opens the connections once (they keep reconnecting on their own afterwards). */
  private start(): Promise<Live> {
    if (this.closing !== null) return this.closing.then(() => this.start());
    this.live ??= this.open().catch((error: unknown) => {
      this.live = null;
      this.producer?.disconnect();
      this.producer = null;
      throw error;
    });
    return this.live;
  }

  private async open(): Promise<Live> {
    const { redis, queue: name, connectTimeoutMs } = this.settings;
    // Auto-pipelining: the adds of the leaves dispatched in one tick go out in one write.
    const producer = openRedis(
      { enableAutoPipelining: true, ...redis, connectionName: `echelon-producer:${name}` },
      "fail-fast",
      (e) => this.watch.failed(e),
    );
    this.producer = producer;
    // Every enqueue waiting out a reconnect listens for "ready".
    producer.setMaxListeners(0);
    producer.on("close", () => {
      // The outage watchdog: adds in flight when the connection dropped fail after connectTimeoutMs.
      this.outage ??= setTimeout(() => {
        this.outage = null;
        if (producer.status === "ready") return;
        for (const entry of [...this.adding]) {
          entry.settle({
            error: this.unavailable(`task "${entry.facts.work.nodePath}" was not enqueued`, connectTimeoutMs),
          });
        }
      }, connectTimeoutMs);
      this.outage.unref();
    });
    producer.on("ready", () => {
      if (this.outage !== null) clearTimeout(this.outage);
      this.outage = null;
      this.watch.ready();
      // After a reconnect, look at every waiting job: Redis may have lost them.
      if (this.opened !== null) this.reconciler.all();
    });
    await new Promise<void>((resolve, reject) => {
      if (producer.status === "ready") resolve();
      producer.once("ready", () => resolve());
      producer.once("end", () => reject(new EchelonError(TransportErrorCode.DISPOSED, "closed")));
    });
    const live = await openLive(this.settings, producer, {
      pending: this.pending,
      duplicated: () => this.reconciler.soon(),
      failed: (e) => this.watch.failed(e),
    });
    if (this.closing !== null) {
      await closeLive(live, null);
      throw new EchelonError(
        TransportErrorCode.DISPOSED,
        `Remote agent type "${this.settings.typeName}" is closed.`,
      );
    }
    this.opened = live;
    this.reconciler.startTimer();
    return live;
  }

  /**
   * Fails waiting attempts with `ECHELON_TRANSPORT_DISPOSED` and closes the connections (a
   * later use opens them again).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.reconciler.stop();
      if (this.outage !== null) clearTimeout(this.outage);
      this.outage = null;
      this.pending.rejectAll(
        new EchelonError(
          TransportErrorCode.DISPOSED,
          `Remote agent type "${this.settings.typeName}" was closed while tasks waited for their results.`,
        ),
      );
      await closeLive(this.opened, this.producer);
      this.live = null;
      this.opened = null;
      this.producer = null;
      this.closing = null;
    })();
    return this.closing;
  }
}

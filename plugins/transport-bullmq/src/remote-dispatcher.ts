import type { AgentContext, AgentWork, Logger } from "@echelon/core";
import { EchelonError, silentLogger } from "@echelon/core";
import { abortError } from "@echelon/core/plugin";
import { type JobsOptions, Queue, QueueEvents } from "bullmq";
import type { Redis, RedisOptions } from "ioredis";
import { describeRedis, openRedis, reconnectDelay } from "./connection.js";
import { TransportErrorCode } from "./errors.js";
import { JobId } from "./job-id.js";
import { RedisNames } from "./keys.js";
import { type PendingJob, PendingJobs } from "./pending-jobs.js";
import { ConnectionWatch } from "./connection-watch.js";
import { Reconciler } from "./reconciler.js";
import { describeError, type RemoteJobData, WIRE_VERSION } from "./wire.js";
import { within } from "./within.js";

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
}

/** The open connections of a dispatcher. */
export interface Live {
  readonly producer: Redis;
  readonly queue: Queue;
  readonly events: QueueEvents;
}

const TIMED_OUT = Symbol("timed out");

function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.resolve(TIMED_OUT);
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, left, TIMED_OUT);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
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
  private readonly pending = new PendingJobs();
  private readonly reconciler: Reconciler;
  private readonly watch: ConnectionWatch;
  private readonly jobOptions: JobsOptions;
  private logger: Logger = silentLogger;
  private users = 0;
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
    if (live === TIMED_OUT || (live.producer.status !== "ready" && !(await this.readyBy(live, deadline)))) {
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
    const jobId = JobId.build(ctx.idempotencyKey, ctx.attempt);
    const existing = this.pending.get(jobId);
    if (existing !== undefined) return existing.promise;
    const data: RemoteJobData = {
      v: WIRE_VERSION,
      work,
      idempotencyKey: ctx.idempotencyKey,
      attempt: ctx.attempt,
      orchestrationId: ctx.orchestrationId,
      level: ctx.level,
      levelIndex,
      offered: this.settings.offered,
      token: crypto.randomUUID(),
    };
    const entry = this.pending.add(jobId, data, ctx);
    const signal = ctx.signal;
    const onAbort = () => {
      if (entry.settle({ error: abortError(signal) })) this.cancelRemote(entry, signal);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    entry.promise.then(
      () => signal.removeEventListener("abort", onAbort),
      () => signal.removeEventListener("abort", onAbort),
    );
    void this.enqueue(entry);
    return entry.promise;
  }

  /** Adds the job (again, after Redis lost it), riding out a reconnect of up to `connectTimeoutMs`. */
  private async enqueue(entry: PendingJob): Promise<void> {
    const started = Date.now();
    const deadline = started + this.settings.connectTimeoutMs;
    entry.enqueued = false;
    for (;;) {
      const live = await beforeDeadline(this.start(), deadline);
      if (entry.settled) return;
      if (live === TIMED_OUT || (live.producer.status !== "ready" && !(await this.readyBy(live, deadline)))) {
        entry.settle({
          error: this.unavailable(`task "${entry.data.work.nodePath}" was not enqueued`, Date.now() - started),
        });
        return;
      }
      if (entry.settled) return;
      let added: unknown;
      try {
        added = await beforeDeadline(
          live.queue.add(entry.data.work.taskId, entry.data, { ...this.jobOptions, jobId: entry.jobId }),
          deadline,
        );
      } catch (error) {
        if (live.producer.status !== "ready") continue;
        entry.settle({
          error: new EchelonError(
            TransportErrorCode.JOB_FAILED,
            `Could not enqueue task "${entry.data.work.nodePath}" on queue "${this.settings.queue}": ${error instanceof Error ? error.message : String(error)}.`,
            { cause: error, details: { jobId: entry.jobId, queue: this.settings.queue } },
          ),
        });
        return;
      }
      if (added === TIMED_OUT) {
        entry.settle({
          error: this.unavailable(`task "${entry.data.work.nodePath}" was not enqueued`, Date.now() - started),
        });
        return;
      }
      entry.enqueued = true;
      entry.checkedAt = Date.now();
      // Aborted while the add was in flight: the job exists now, so it is cancelled like any other.
      if (entry.settled) this.cancelRemote(entry, entry.ctx.signal);
      else if (entry.recheck) this.reconciler.soon();
      return;
    }
  }

  /** Publishes a cancel for the job and removes it if no host took it yet. Best effort: logged, never thrown. */
  private cancelRemote(entry: PendingJob, signal: AbortSignal): void {
    const live = this.opened;
    if (live === null || !entry.enqueued || live.producer.status !== "ready") return;
    const { prefix, queue, keepJobsForMs } = this.settings;
    const message = JSON.stringify({ jobId: entry.jobId, reason: describeError(abortError(signal)) });
    live.producer
      .multi()
      .set(RedisNames.cancelKey(prefix, queue, entry.jobId), message, "PX", keepJobsForMs)
      .publish(RedisNames.cancelChannel(prefix, queue), message)
      .exec()
      .then(() => live.queue.remove(entry.jobId))
      .catch((error: unknown) =>
        this.logger.warn("could not publish a cancel request", {
          jobId: entry.jobId,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
  }

  private readyBy(live: Live, deadline: number): Promise<boolean> {
    if (live.producer.status === "ready") return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()), false);
      live.producer.once("ready", onReady);
      function onReady() {
        done(true);
      }
      function done(value: boolean) {
        clearTimeout(timer);
        live.producer.off("ready", onReady);
        resolve(value);
      }
    });
  }

  private unavailable(what: string | null, waitedMs: number): EchelonError {
    const { redis, queue, connectTimeoutMs } = this.settings;
    return new EchelonError(
      TransportErrorCode.REDIS_UNAVAILABLE,
      `Redis at ${describeRedis(redis)} (queue "${queue}") did not answer within ${connectTimeoutMs} ms${what === null ? "" : `, so ${what}`}. Start Redis or fix the connection, then run again or resume the run.`,
      { details: { redis: describeRedis(redis), queue, waitedMs: Math.round(waitedMs), retryable: true } },
    );
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
    const { redis, queue: name, prefix } = this.settings;
    const producer = openRedis({ ...redis, connectionName: `echelon-producer:${name}` }, "fail-fast", (e) =>
      this.watch.failed(e),
    );
    this.producer = producer;
    // Every enqueue waiting out a reconnect listens for "ready".
    producer.setMaxListeners(0);
    producer.on("ready", () => {
      this.watch.ready();
      // After a reconnect, look at every waiting job: Redis may have lost them.
      if (this.opened !== null) this.reconciler.all();
    });
    await new Promise<void>((resolve, reject) => {
      if (producer.status === "ready") resolve();
      producer.once("ready", () => resolve());
      producer.once("end", () => reject(new EchelonError(TransportErrorCode.DISPOSED, "closed")));
    });
    const queue = new Queue(name, { connection: producer, prefix });
    queue.on("error", (e) => this.watch.failed(e));
    await queue.waitUntilReady();
    // Read events from Redis's clock now, so no result is missed while the reader connects.
    const [seconds, micros] = await producer.time();
    const lastEventId = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
    const events = new QueueEvents(name, {
      connection: { ...redis, retryStrategy: reconnectDelay, connectionName: `echelon-events:${name}` },
      prefix,
      lastEventId,
      blockingTimeout: 5_000,
    });
    events.on("error", (e) => this.watch.failed(e));
    events.on("completed", ({ jobId, returnvalue }) => this.pending.completed(jobId, returnvalue));
    events.on("failed", ({ jobId, failedReason }) => this.pending.failed(jobId, failedReason));
    events.on("progress", ({ jobId, data }) => this.pending.progress(jobId, data));
    events.on("duplicated", ({ jobId }) => {
      if (this.pending.duplicated(jobId)) this.reconciler.soon();
    });
    if (this.closing !== null) {
      await Promise.allSettled([events.close(), queue.close()]);
      throw new EchelonError(
        TransportErrorCode.DISPOSED,
        `Remote agent type "${this.settings.typeName}" is closed.`,
      );
    }
    this.opened = { producer, queue, events };
    this.reconciler.startTimer();
    return this.opened;
  }

  /**
   * Fails waiting attempts with `ECHELON_TRANSPORT_DISPOSED` and closes the connections (a
   * later use opens them again).
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.reconciler.stop();
      this.pending.rejectAll(
        new EchelonError(
          TransportErrorCode.DISPOSED,
          `Remote agent type "${this.settings.typeName}" was closed while tasks waited for their results.`,
        ),
      );
      const opened = this.opened;
      if (opened !== null) {
        // Bounded: BullMQ's close waits for ever while Redis is away (the clients are disconnected anyway).
        const wait = opened.producer.status === "ready" ? 2_000 : 0;
        if (!(await within(Promise.allSettled([opened.events.close(), opened.queue.close()]), wait))) {
          await within(opened.events.getBackend().close(true), 1_000);
        }
      }
      const producer = this.producer;
      if (producer !== null) {
        if (producer.status === "ready") await within(producer.quit(), 1_000);
        producer.disconnect();
      }
      this.live = null;
      this.opened = null;
      this.producer = null;
      this.closing = null;
    })();
    return this.closing;
  }
}

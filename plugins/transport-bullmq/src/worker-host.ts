import { hostname } from "node:os";
import type { Agent, AgentType, Logger } from "@echelon/core";
import { EchelonError, silentLogger } from "@echelon/core";
import { Worker } from "bullmq";
import { OptionChecks } from "./check-options.js";
import {
  describeRedis,
  openRedis,
  type RedisConnectionOptions,
  reconnectDelay,
  toRedisOptions,
  whenReady,
} from "./connection.js";
import { ConnectionWatch } from "./connection-watch.js";
import { TransportErrorCode } from "./errors.js";
import { HostAgents } from "./host-agents.js";
import { HostCancels } from "./host-cancels.js";
import { processJob } from "./host-job.js";
import { within } from "./within.js";

/** Options of {@link startWorkerHost}. */
export interface WorkerHostOptions {
  /** Where Redis is: a URL or ioredis options (the orchestrator's Redis). */
  readonly connection: RedisConnectionOptions;
  /** Agent types (function, worker-thread, child-process, LLM …) or ready agents that do the work. */
  readonly agents: readonly (AgentType | Agent)[];
  /** Queues to serve. Default `["echelon"]`. */
  readonly queues?: readonly string[];
  /** Jobs run at once, per queue. Default 1. */
  readonly concurrency?: number;
  /** BullMQ key prefix (the orchestrator's). Default `"bull"`. */
  readonly prefix?: string;
  /** Id of this host in logs, results and errors. Default `<hostname>:<pid>`. */
  readonly id?: string;
  /** How long a job's lock lasts without renewal; a dead host's jobs come back after it, ms. Default 30,000. */
  readonly lockDurationMs?: number;
  /** How often this host looks for stalled jobs (of any host), ms. Default 30,000. */
  readonly stalledIntervalMs?: number;
  /** Re-deliveries of a stalled job before BullMQ fails it (`ECHELON_TRANSPORT_JOB_STALLED`). Default 1. */
  readonly maxStalledCount?: number;
  /** Longest wait for Redis at start, ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** On `close()`, how long running jobs may finish before they are aborted and handed back, ms. Default 10,000. */
  readonly closeGraceMs?: number;
  /** Logger. Default silent. */
  readonly logger?: Logger;
}

/** A running worker host (see {@link startWorkerHost}). */
export interface WorkerHost {
  /** Id of the host (in results, errors and logs). */
  readonly id: string;
  /** Queues it serves. */
  readonly queues: readonly string[];
  /** Jobs running now. */
  readonly running: number;
  /**
   * Stops taking jobs, lets running ones finish for `closeGraceMs`, then aborts the rest and
   * hands them back to their queue (another host runs them), disposes the agents and
   * disconnects. Idempotent.
   */
  close(): Promise<void>;
}

const MAX_MS = 2_147_483_647;

function checkOptions(options: WorkerHostOptions): void {
  new OptionChecks("startWorkerHost")
    .require(options.connection !== undefined && options.connection !== null, "connection", "is required")
    .require(
      Array.isArray(options.agents) && options.agents.length > 0,
      "agents",
      "must list at least one agent type (functionAgent(...), workerAgent(...), …)",
    )
    .strings("queues", options.queues)
    .require(options.queues === undefined || options.queues.length > 0, "queues", "must not be empty")
    .integer("concurrency", options.concurrency, 1, 100_000)
    .name("prefix", options.prefix)
    .integer("lockDurationMs", options.lockDurationMs, 100, MAX_MS)
    .integer("stalledIntervalMs", options.stalledIntervalMs, 100, MAX_MS)
    .integer("maxStalledCount", options.maxStalledCount, 0, 1000)
    .integer("connectTimeoutMs", options.connectTimeoutMs, 1, MAX_MS)
    .integer("closeGraceMs", options.closeGraceMs, 0, MAX_MS)
    .done();
  for (const queue of options.queues ?? [])
    new OptionChecks("startWorkerHost").name("queues[]", queue).done();
}

/**
 * Serves Echelon agent types from BullMQ queues: every job an orchestrator's
 * {@link remoteAgent} enqueues runs here on a local agent (spawned lazily, reused), with the
 * job's own `AbortSignal` (aborted by the orchestrator's timeout or cancel over the cancel
 * channel), and its result or coded error goes back through Redis. A job whose task needs an
 * agent type this host lacks fails at once with `ECHELON_TRANSPORT_AGENT_MISSING`. Run as many
 * hosts as you like, on any machine that reaches Redis; a host that dies holding jobs has
 * them re-delivered after `lockDurationMs`.
 *
 * @param options - connection, agents, queues, concurrency …
 * @returns the running host
 * @throws EchelonError `ECHELON_CONFIG_INVALID`; `ECHELON_TRANSPORT_REDIS_UNAVAILABLE` when Redis does not answer within `connectTimeoutMs`
 * @example
 * ```ts
 * import { functionAgent } from "@echelon/core";
 * import { startWorkerHost } from "@echelon/transport-bullmq";
 *
 * const host = await startWorkerHost({
 *   connection: "redis://127.0.0.1:6379",
 *   agents: [functionAgent({ capabilities: ["hash"] }, (work) => String(work.input).length)],
 *   concurrency: 8,
 * });
 * process.on("SIGTERM", () => void host.close());
 * ```
 */
export async function startWorkerHost(options: WorkerHostOptions): Promise<WorkerHost> {
  checkOptions(options);
  const logger = options.logger ?? silentLogger;
  const redis = toRedisOptions(options.connection);
  const id = options.id ?? `${hostname()}:${process.pid}`;
  const queues = [...(options.queues ?? ["echelon"])];
  const prefix = options.prefix ?? "bull";
  const watch = new ConnectionWatch(() => logger, `worker host "${id}" at ${describeRedis(redis)}`);
  const onError = (error: Error) => watch.failed(error);
  const subscriber = openRedis(
    { ...redis, connectionName: `echelon-host-cancels:${id}` },
    "patient",
    onError,
  );
  const commands = openRedis({ ...redis, connectionName: `echelon-host:${id}` }, "patient", onError);
  commands.on("ready", () => watch.ready());
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  if (!(await whenReady(commands, connectTimeoutMs))) {
    subscriber.disconnect();
    commands.disconnect();
    throw new EchelonError(
      TransportErrorCode.REDIS_UNAVAILABLE,
      `Worker host "${id}": Redis at ${describeRedis(redis)} did not answer within ${connectTimeoutMs} ms. Start Redis or fix --redis, then start the host again.`,
      { details: { redis: describeRedis(redis), waitedMs: connectTimeoutMs, retryable: true } },
    );
  }
  const agents = new HostAgents(options.agents, id, logger);
  const cancels = new HostCancels(subscriber, commands, prefix, queues, logger);
  await cancels.start();
  const workers = queues.map((queue) => {
    const worker = new Worker(
      queue,
      (job, token) => processJob(job, token, { hostId: id, queue, agents, cancels, logger }),
      {
        connection: { ...redis, retryStrategy: reconnectDelay, connectionName: `echelon-host-worker:${id}` },
        prefix,
        concurrency: options.concurrency ?? 1,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: options.maxStalledCount ?? 1,
        runRetryDelay: 1_000,
        name: id,
      },
    );
    worker.on("error", (error) => {
      if (/lock|Missing key/i.test(error.message)) {
        logger.warn(
          "a result was dropped: the job's lock was lost (it stalled and runs elsewhere) or Redis lost it",
          {
            queue,
            message: error.message,
          },
        );
      } else watch.failed(error);
    });
    worker.on("lockRenewalFailed", (jobIds: string[]) => {
      for (const jobId of jobIds) {
        cancels
          .find(queue, jobId)
          ?.abort(
            new EchelonError(
              TransportErrorCode.LOCK_LOST,
              `Worker host "${id}" lost the lock of job "${jobId}" (it blocked past the lock or Redis lost it); the job runs elsewhere and this run's result is dropped.`,
              { details: { host: id, queue, jobId } },
            ),
          );
      }
    });
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info("worker host started", { id, queues, agentTypes: agents.describe().map((a) => a.name) });
  let closing: Promise<void> | null = null;
  return {
    id,
    queues,
    get running() {
      return cancels.all().length;
    },
    close() {
      closing ??= (async () => {
        // With Redis away nothing can be handed back or recorded: no grace, and a forced close
        // (a graceful one waits for Redis for ever).
        const away = commands.status !== "ready";
        const stopped = Promise.allSettled(workers.map((w) => w.close(away)));
        const grace = away ? 0 : (options.closeGraceMs ?? 10_000);
        if (!(await within(stopped, grace))) {
          const reason = new EchelonError(
            TransportErrorCode.DISPOSED,
            `Worker host "${id}" is shutting down; the job goes back to its queue.`,
            { details: { host: id } },
          );
          for (const job of cancels.all()) job.giveBack(reason);
          if (!(await within(stopped, 1_000))) {
            // Work that ignores its signal, or Redis away: the locks expire and other hosts run the jobs.
            if (cancels.all().length > 0) {
              logger.warn("jobs did not stop; they will be re-delivered", { count: cancels.all().length });
            }
            await within(Promise.allSettled(workers.map((w) => w.getBackend().close(true))), 1_000);
          }
        }
        await agents.dispose();
        subscriber.disconnect();
        if (commands.status === "ready") await within(commands.quit(), 1_000);
        commands.disconnect();
        logger.info("worker host stopped", { id });
      })();
      return closing;
    },
  };
}

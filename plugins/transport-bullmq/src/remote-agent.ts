import type { Agent, AgentType, Logger, SpawnContext } from "@echelon/core";
import { OptionChecks } from "./check-options.js";
import { type RedisConnectionOptions, toRedisOptions } from "./connection.js";
import { WIRE_VERSION } from "./job-data.js";
import { RemoteDispatcher } from "./remote-dispatcher.js";

/** Options of {@link remoteAgent}. */
export interface RemoteAgentOptions {
  /** Capabilities the worker hosts behind the queue offer (what the orchestrator may route here). */
  readonly capabilities: readonly string[];
  /** Where Redis is: a URL or ioredis options. */
  readonly connection: RedisConnectionOptions;
  /** BullMQ queue the jobs go to; worker hosts serve it. Default `"echelon"`. */
  readonly queue?: string;
  /** BullMQ key prefix. Default `"bull"`. */
  readonly prefix?: string;
  /** Agent type name. Default `remote:<queue>`. */
  readonly name?: string;
  /** Jobs one agent keeps in flight at once. Default 1 (level caps × capacity bound remote work in flight). */
  readonly capacity?: number;
  /** Most agents alive at once. Default unbounded (level caps still apply). */
  readonly maxInstances?: number;
  /** Levels (names or indices) the agents serve at; absent = any level. */
  readonly levels?: readonly (string | number)[];
  /** Longest wait for Redis at start and per enqueue before the attempt fails, ms. Default 5,000. */
  readonly connectTimeoutMs?: number;
  /** How long an attempt may go without news before Redis is asked about its job, ms. Default 5,000. */
  readonly reconcileIntervalMs?: number;
  /** How long finished jobs (and cancel requests) stay in Redis, ms. Default 3,600,000 (one hour). */
  readonly keepJobsForMs?: number;
  /**
   * Job payload version to write: 3 (short names, compact job ids: `JobId.compact`), 2 (short
   * names, long readable job ids) or 1 (long names and ids; what every release reads). Default
   * 3. Hosts of this release read all three. An older host that refuses the version makes the
   * agent type write version 1 for ten minutes and enqueue the refused job again (under its
   * version 1 id), so a rolling deploy works in any order; set 1 to avoid that bounce while old
   * hosts remain.
   */
  readonly wireVersion?: 1 | 2 | 3;
  /** Logger for connection trouble and reconciliations. Default: the orchestrator's. */
  readonly logger?: Logger;
}

/** An agent type whose agents run their tasks on worker hosts over BullMQ (see {@link remoteAgent}). */
export interface RemoteAgentType extends AgentType {
  /** The queue its jobs go to. */
  readonly queue: string;
  /**
   * Connects (if not yet connected) and resolves once Redis answers.
   *
   * @throws EchelonError `ECHELON_TRANSPORT_REDIS_UNAVAILABLE` after `connectTimeoutMs`
   */
  check(): Promise<void>;
  /** Closes its connections; tasks still waiting fail with `ECHELON_TRANSPORT_DISPOSED`. */
  close(): Promise<void>;
}

const MAX_MS = 2_147_483_647;

function checkOptions(options: RemoteAgentOptions): void {
  const checks = new OptionChecks("remoteAgent");
  checks
    .strings("capabilities", options.capabilities, true)
    .require(options.connection !== undefined && options.connection !== null, "connection", "is required")
    .name("queue", options.queue)
    .name("prefix", options.prefix)
    .integer("capacity", options.capacity, 1, 1_000_000)
    .integer("maxInstances", options.maxInstances, 1, 1_000_000)
    .integer("connectTimeoutMs", options.connectTimeoutMs, 1, MAX_MS)
    .integer("reconcileIntervalMs", options.reconcileIntervalMs, 50, MAX_MS)
    .integer("keepJobsForMs", options.keepJobsForMs, 1000, MAX_MS)
    .integer("wireVersion", options.wireVersion, 1, 3)
    .require(
      options.name === undefined || (typeof options.name === "string" && options.name !== ""),
      "name",
      "must be a non-empty string",
    )
    .done();
}

/**
 * An agent type whose agents enqueue each task as a BullMQ job and await its result from a
 * worker host ({@link startWorkerHost}, or `echelon worker`) on any machine that reaches the
 * same Redis. The job id is built from the step's idempotency key and attempt, so a
 * re-delivery, a re-enqueue after Redis lost the job, or a resumed run's attempt is the same
 * job; a result is recorded once. BullMQ retries nothing (`attempts: 1`): the orchestrator's
 * retry policy decides. When the task's signal aborts (timeout, cancel, a failed sibling), the
 * attempt fails at once with the signal's reason and the running job's own signal is aborted on
 * its host. Level caps count the jobs in flight.
 *
 * @param options - capabilities, connection, queue, capacity …
 * @returns the agent type, for the orchestrator's `agents` or {@link remoteAgents}
 * @throws EchelonError `ECHELON_CONFIG_INVALID` listing every bad option
 * @example
 * ```ts
 * import { HierarchicalOrchestrator } from "@echelon/core";
 * import { remoteAgent } from "@echelon/transport-bullmq";
 *
 * const orchestrator = new HierarchicalOrchestrator({
 *   maxAgentsPerLevel: [1, 50],
 *   agents: [remoteAgent({ capabilities: ["hash"], connection: "redis://127.0.0.1:6379" })],
 * });
 * ```
 */
export function remoteAgent(options: RemoteAgentOptions): RemoteAgentType {
  checkOptions(options);
  const queue = options.queue ?? "echelon";
  const name = options.name ?? `remote:${queue}`;
  const capabilities = Object.freeze([...options.capabilities]);
  const capacity = options.capacity ?? 1;
  const dispatcher = new RemoteDispatcher({
    typeName: name,
    redis: toRedisOptions(options.connection),
    queue,
    prefix: options.prefix ?? "bull",
    offered: capabilities,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    reconcileIntervalMs: options.reconcileIntervalMs ?? 5_000,
    keepJobsForMs: options.keepJobsForMs ?? 3_600_000,
    wireVersion: options.wireVersion ?? WIRE_VERSION,
  });
  if (options.logger !== undefined) dispatcher.useLogger(options.logger);
  return {
    name,
    queue,
    capabilities,
    capacity,
    ...(options.levels !== undefined ? { levels: [...options.levels] } : {}),
    ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
    spawn(id: string, context: SpawnContext): Agent {
      dispatcher.useLogger(context.logger);
      dispatcher.acquire();
      let disposed = false;
      return {
        id,
        type: name,
        capabilities,
        capacity,
        execute: (work, ctx) => dispatcher.run(work, ctx, context.levelIndex),
        dispose: () => {
          if (disposed) return;
          disposed = true;
          return dispatcher.release();
        },
      };
    },
    check: () => dispatcher.check(),
    close: () => dispatcher.close(),
  };
}

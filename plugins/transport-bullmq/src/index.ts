/**
 * `@echelon/transport-bullmq` — agents on other machines over BullMQ and Redis: the
 * orchestrator's {@link remoteAgent} enqueues each task as a job and awaits its result, and
 * {@link startWorkerHost} (or `echelon worker`) serves any Echelon agent type from the queues.
 * The orchestrator's journal stays the truth; Redis only carries the work.
 *
 * @packageDocumentation
 */
export { type RedisConnectionOptions, toRedisOptions } from "./connection.js";
export { TransportErrorCode } from "./errors.js";
export { JobId, type ParsedJobId } from "./job-id.js";
export { type LocalRedis, type LocalRedisOptions, startLocalRedis } from "./local-redis.js";
export { remoteAgents } from "./plugin.js";
export { type RemoteAgentOptions, type RemoteAgentType, remoteAgent } from "./remote-agent.js";
export { VERSION } from "./version.js";
export { startWorkerHost, type WorkerHost, type WorkerHostOptions } from "./worker-host.js";

/**
 * Error codes raised by `@echelon/transport-bullmq`. Append-only: a code is never renamed or
 * reused for another meaning. Listed in `docs/errors.md`.
 */
export const TransportErrorCode = {
  /** Redis did not answer within `connectTimeoutMs` (at start or at an enqueue); `details` name the address. Retryable. */
  REDIS_UNAVAILABLE: "ECHELON_TRANSPORT_REDIS_UNAVAILABLE",
  /** The worker host that took the job has no agent type for the task's capabilities and level; not retried. */
  AGENT_MISSING: "ECHELON_TRANSPORT_AGENT_MISSING",
  /** BullMQ failed the job because it stalled more than `maxStalledCount` times (hosts died holding it). Retryable. */
  JOB_STALLED: "ECHELON_TRANSPORT_JOB_STALLED",
  /** BullMQ failed the job for a reason outside the agent; the raw reason is in `details.reason`. Retryable. */
  JOB_FAILED: "ECHELON_TRANSPORT_JOB_FAILED",
  /** A job on an Echelon queue is not an Echelon job (another producer, or an incompatible version); not retried. */
  JOB_INVALID: "ECHELON_TRANSPORT_JOB_INVALID",
  /** The worker host lost the job's lock (it stalled); the job runs elsewhere and this run's result is dropped. */
  LOCK_LOST: "ECHELON_TRANSPORT_LOCK_LOST",
  /** `startLocalRedis` found no `redis-server` executable. */
  REDIS_NOT_INSTALLED: "ECHELON_TRANSPORT_REDIS_NOT_INSTALLED",
  /** A local `redis-server` did not start (port taken, bad option); its output is in `details.output`. */
  REDIS_START_FAILED: "ECHELON_TRANSPORT_REDIS_START_FAILED",
  /** The agent type was disposed (the orchestrator shut down) while the task waited for its result. */
  DISPOSED: "ECHELON_TRANSPORT_DISPOSED",
} as const;

/** One of the transport's error codes. */
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

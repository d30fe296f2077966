/**
 * Error codes raised by `@echelon/agents-worker`. Append-only: a code is never renamed or
 * reused for another meaning.
 */
export const WorkerErrorCode = {
  /** The worker thread exited or threw uncaught while running the task; the thread was replaced. */
  CRASHED: "ECHELON_WORKER_CRASHED",
  /** The worker thread exceeded its `resourceLimits` while running the task; the thread was replaced. */
  OUT_OF_MEMORY: "ECHELON_WORKER_OUT_OF_MEMORY",
  /** The worker module could not be imported, or its export is not a function. */
  MODULE_INVALID: "ECHELON_WORKER_MODULE_INVALID",
  /** The agent was disposed while the task was queued or running. */
  DISPOSED: "ECHELON_WORKER_DISPOSED",
  /** A message from the worker thread (its result, as a rule) could not be decoded on the main thread, e.g. an array nested thousands deep; the task failed without retries and the thread was replaced. */
  RESULT_UNREADABLE: "ECHELON_WORKER_RESULT_UNREADABLE",
} as const;

/** One of the worker error codes. */
export type WorkerErrorCode = (typeof WorkerErrorCode)[keyof typeof WorkerErrorCode];

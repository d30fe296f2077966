/**
 * Error codes raised by `@echelon/background`. Append-only: a code is never renamed or reused
 * for another meaning.
 */
export const BackgroundErrorCode = {
  /** No background run has this id (never spawned, or forgotten after `retainFinished`). */
  UNKNOWN_ID: "ECHELON_BACKGROUND_UNKNOWN_ID",
  /** `spawnBackgroundAgent` got neither or both of `agent` and `orchestration`/`task`, or a bad value. */
  INVALID_REQUEST: "ECHELON_BACKGROUND_REQUEST_INVALID",
  /** An id passed to `spawnBackgroundAgent` is already in use. */
  DUPLICATE_ID: "ECHELON_BACKGROUND_DUPLICATE_ID",
  /** An orchestration was requested but the executor has no `orchestrator`. */
  NO_ORCHESTRATOR: "ECHELON_BACKGROUND_NO_ORCHESTRATOR",
  /** The run is not in a state that allows the operation (pause a finished run, resume a running one). */
  INVALID_STATE: "ECHELON_BACKGROUND_INVALID_STATE",
  /** A single agent task that is already running cannot be paused; only queued ones and orchestrations can. */
  NOT_PAUSABLE: "ECHELON_BACKGROUND_NOT_PAUSABLE",
} as const;

/** One of the background error codes. */
export type BackgroundErrorCode = (typeof BackgroundErrorCode)[keyof typeof BackgroundErrorCode];

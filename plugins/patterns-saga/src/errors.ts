/**
 * Error codes raised by `@echelon/patterns-saga`. Append-only: a code is never renamed or
 * reused for another meaning.
 */
export const SagaErrorCode = {
  /** A saga option has the wrong type or range (`compensationRetry`, `onCompensationFailure`). */
  INVALID_OPTIONS: "ECHELON_SAGA_INVALID_OPTIONS",
  /** Two steps share one id. */
  DUPLICATE_STEP: "ECHELON_SAGA_DUPLICATE_STEP",
  /** A step depends on a step that comes after it (steps run in declaration order). */
  STEP_ORDER: "ECHELON_SAGA_STEP_ORDER",
  /** `registerCompensationHandler` was called twice for one step without `{ override: true }`. */
  DUPLICATE_HANDLER: "ECHELON_SAGA_DUPLICATE_HANDLER",
  /**
   * A step failed, or the saga was cancelled after at least one step completed, and every
   * completed step that declares a compensation was compensated, in reverse order. `details`:
   * `outcome`, `failedStep`, `stepsRun`, `compensated`, `notCompensable`, `cancelled`, `steps`.
   * The step failure (or the cancellation) is the `cause`. A saga cancelled before any step
   * completed has nothing to undo and throws core's `ECHELON_CANCELLED` with the same details.
   */
  COMPENSATED: "ECHELON_SAGA_COMPENSATED",
  /**
   * A step failed (or the saga was cancelled) and at least one compensation still failed after
   * its retries: the saga is `compensation-failed`. Takes precedence over `ECHELON_CANCELLED`.
   */
  COMPENSATION_FAILED: "ECHELON_SAGA_COMPENSATION_FAILED",
  /** One attempt of an in-process compensation handler exceeded `compensationRetry.timeoutMs`. */
  COMPENSATION_TIMEOUT: "ECHELON_SAGA_COMPENSATION_TIMEOUT",
} as const;

/** One of the saga error codes. */
export type SagaErrorCode = (typeof SagaErrorCode)[keyof typeof SagaErrorCode];

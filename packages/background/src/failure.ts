import {
  CoreErrorCode,
  EchelonError,
  type EchelonErrorCode,
  isNonRetryable,
  NonRetryableError,
} from "@echelon/core";

/** `details` as JSON, or a note of why they are not: a run's status is plain JSON. */
function jsonDetails(details: unknown): Record<string, unknown> | undefined {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch (error) {
    return { detailsNotJson: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The coded form of what a background agent threw. An EchelonError stays as it is; anything
 * else keeps its `ECHELON_*` code (else `ECHELON_TASK_FAILED`) and its `details` as JSON, and
 * one that says "do not retry" (core's `isNonRetryable`: `retryable: false`,
 * `details.retryable: false`, or named `NonRetryableError`) becomes a `NonRetryableError`,
 * so `status.error.details.retryable` is `false` for whoever decides on a re-run.
 *
 * @param error - what the agent threw
 * @returns a coded error
 */
export function codedFailure(error: unknown): EchelonError {
  if (error instanceof EchelonError) return error;
  const { code, details } = (typeof error === "object" && error !== null ? error : {}) as {
    code?: unknown;
    details?: unknown;
  };
  const coded =
    typeof code === "string" && code.startsWith("ECHELON_")
      ? (code as EchelonErrorCode)
      : CoreErrorCode.TASK_FAILED;
  const message = error instanceof Error ? error.message : String(error);
  const json = jsonDetails(details);
  const options = { cause: error, ...(json !== undefined ? { details: json } : {}) };
  return isNonRetryable(error)
    ? new NonRetryableError(message, { code: coded, ...options })
    : new EchelonError(coded, message, options);
}

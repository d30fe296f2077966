import { CoreErrorCode, type EchelonErrorCode } from "./codes.js";
import { EchelonError, type EchelonErrorOptions } from "./echelon-error.js";

/** Options of {@link NonRetryableError}. */
export interface NonRetryableErrorOptions extends EchelonErrorOptions {
  /** The code the task fails with. Default `ECHELON_TASK_FAILED`. */
  readonly code?: EchelonErrorCode;
}

/**
 * An error that tells Echelon not to retry: the task fails after this attempt whatever its
 * `retry` policy says. Throw it for failures another attempt cannot mend (bad input, a
 * missing permission, a record that does not exist). It is an {@link EchelonError} with
 * `details.retryable === false` and the code you choose, and it keeps that meaning when it
 * crosses a worker thread, a child process or a background run (see {@link isNonRetryable}).
 * Modelled on BullMQ's `UnrecoverableError`.
 *
 * @example
 * ```ts
 * import { NonRetryableError } from "@echelon/core";
 * export default async function parse(work) {
 *   if (typeof work.input !== "string")
 *     throw new NonRetryableError("Input must be a CSV string; fix the task's input.", {
 *       code: "ECHELON_CSV_INPUT_INVALID",
 *       details: { got: typeof work.input },
 *     });
 *   // …
 * }
 * ```
 */
export class NonRetryableError extends EchelonError {
  /**
   * @param message - what happened and what to do about it
   * @param options - `code` (default `ECHELON_TASK_FAILED`), `cause`, JSON `details`
   */
  constructor(message: string, options: NonRetryableErrorOptions = {}) {
    super(options.code ?? CoreErrorCode.TASK_FAILED, message, {
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
      details: { ...options.details, retryable: false },
    });
    this.name = "NonRetryableError";
  }
}

/**
 * True when `error` says "do not retry": a {@link NonRetryableError}, or any object that
 * crossed a thread or process boundary as plain data and still says so — `name` is
 * `"NonRetryableError"`, `retryable` is `false`, or `details.retryable` is `false`.
 *
 * @param error - anything thrown, or the plain description of an error
 * @returns whether the failure must not be retried
 * @example
 * ```ts
 * isNonRetryable(new NonRetryableError("gone")); // true
 * isNonRetryable(Object.assign(new Error("quota spent"), { retryable: false })); // true
 * isNonRetryable({ name: "NonRetryableError", message: "gone" }); // true (crossed a boundary)
 * isNonRetryable(new Error("flaky")); // false
 * ```
 */
export function isNonRetryable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if (error instanceof NonRetryableError) return true;
  const { name, retryable, details } = error as { name?: unknown; retryable?: unknown; details?: unknown };
  if (name === "NonRetryableError" || retryable === false) return true;
  return (
    typeof details === "object" &&
    details !== null &&
    (details as { retryable?: unknown }).retryable === false
  );
}

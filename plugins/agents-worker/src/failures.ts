import type { ResourceLimits } from "node:worker_threads";
import {
  CoreErrorCode,
  EchelonError,
  type EchelonErrorCode,
  isNonRetryable,
  NonRetryableError,
} from "@echelon/core";
import { abortError } from "@echelon/core/plugin";
import { WorkerErrorCode } from "./errors.js";
import type { ErrorDescription, FailureKind } from "./protocol.js";

function rebuild(description: ErrorDescription): Error {
  const error = new Error(description.message);
  error.name = description.name;
  if (description.stack !== undefined) error.stack = description.stack;
  return error;
}

/**
 * The coded error of a task that failed inside its thread. A thrown error keeps its
 * `ECHELON_*` code and its JSON `details`; one that says "do not retry" (see core's
 * `isNonRetryable`) comes back as a `NonRetryableError`, so core does not retry it.
 *
 * @param taskId - the task's id, for the message
 * @param kind - how the task failed in the thread
 * @param description - the error as it crossed the boundary
 * @param signal - the task's signal (its reason is the error of an aborted task)
 */
export function taskFailure(
  taskId: string,
  kind: FailureKind,
  description: ErrorDescription,
  signal: AbortSignal,
): EchelonError {
  const cause = rebuild(description);
  if (kind === "module") {
    return new EchelonError(
      WorkerErrorCode.MODULE_INVALID,
      `The worker module could not be used for task "${taskId}": ${description.message} Check the module path and exportName.`,
      { cause },
    );
  }
  if (kind === "not-serializable") {
    return new EchelonError(
      CoreErrorCode.RESULT_NOT_SERIALIZABLE,
      `The result of worker task "${taskId}" cannot leave the thread: ${description.message} Return plain JSON data.`,
      { cause },
    );
  }
  if (kind === "aborted") return abortError(signal);
  const code = description.code?.startsWith("ECHELON_")
    ? (description.code as EchelonErrorCode)
    : CoreErrorCode.TASK_FAILED;
  const message = `Worker task "${taskId}" failed: ${description.message}`;
  const details = { name: description.name, ...description.details };
  return isNonRetryable(description)
    ? new NonRetryableError(message, { code, cause, details })
    : new EchelonError(code, message, { cause, details });
}

/** The coded error of a task whose thread exited, threw uncaught or ran out of memory. */
export function crashError(
  taskId: string,
  cause: unknown,
  exitCode: number,
  resourceLimits: ResourceLimits | undefined,
): EchelonError {
  const oom = (cause as { code?: unknown } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
  if (oom) {
    return new EchelonError(
      WorkerErrorCode.OUT_OF_MEMORY,
      `Worker task "${taskId}" exceeded the thread's resourceLimits and the thread was replaced. Raise resourceLimits or process the input in smaller pieces.`,
      { cause, details: { exitCode, resourceLimits: { ...resourceLimits } } },
    );
  }
  const reason = cause instanceof Error ? `threw uncaught: ${cause.message}` : `exited with code ${exitCode}`;
  return new EchelonError(
    WorkerErrorCode.CRASHED,
    `The worker thread running task "${taskId}" ${reason}; the thread was replaced. Fix the module or let the task retry.`,
    { cause, details: { exitCode } },
  );
}

/** The coded error of a task whose thread sent a message the main thread could not decode. */
export function unreadableError(taskId: string, cause: unknown): EchelonError {
  return new NonRetryableError(
    `The result of worker task "${taskId}" could not be decoded on the main thread (${cause instanceof Error ? cause.message : String(cause)}); the thread was replaced. Return plain JSON that is not nested thousands of levels deep.`,
    { code: WorkerErrorCode.RESULT_UNREADABLE, cause },
  );
}

import { EchelonError, isNonRetryable, NonRetryableError } from "@echelon/core";
import { TransportErrorCode } from "./errors.js";

/** Version of the failed-reason format (the same in payload versions 1 and 2). */
export const FAILURE_VERSION = 1;

/** What a host returns for a job of payload version 1 that succeeded (the BullMQ return value). */
export interface RemoteSuccessV1 {
  readonly ok: true;
  readonly output: unknown;
  /** Worker host and agent that ran it. */
  readonly host: string;
  readonly agentId: string;
}

/**
 * What a host returns for a job of payload version 2 or 3 that succeeded: the output only (`o`,
 * absent when undefined). The host is BullMQ's `processedBy` of the job.
 */
export interface RemoteSuccessV2 {
  readonly v: 2;
  readonly o?: unknown;
}

/** A success envelope of either version. */
export type RemoteSuccess = RemoteSuccessV1 | RemoteSuccessV2;

/**
 * The output in a job's return value, when it is an Echelon host's success envelope.
 *
 * @param value - the job's return value, parsed
 * @returns `{ output }`, or `null` for a return value that is not an envelope
 */
export function successOutput(value: unknown): { readonly output: unknown } | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Partial<RemoteSuccessV1> & { v?: unknown; o?: unknown };
  if (v.v === 2) return { output: v.o };
  if (v.ok === true) return { output: v.output };
  return null;
}

/** An error as plain data: what crosses Redis in a failed job's reason. */
export interface ErrorData {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly retryable: boolean;
  readonly cause?: { readonly name: string; readonly message: string; readonly code?: string };
}

/** The failed reason of a job an Echelon host failed: JSON of this. */
export interface RemoteFailure {
  readonly echelon: typeof FAILURE_VERSION;
  readonly host: string;
  readonly error: ErrorData;
  /** The agent asked to stop the whole orchestration with this error. */
  readonly stop?: boolean;
}

function jsonDetails(details: unknown): Record<string, unknown> | undefined {
  if (typeof details !== "object" || details === null || Array.isArray(details)) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch (error) {
    return { detailsNotJson: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Describes anything thrown as {@link ErrorData}: an `ECHELON_*` code is kept (else
 * `ECHELON_TASK_FAILED`), `details` as JSON, and whether another attempt may help.
 *
 * @param error - what the agent threw (or an abort reason)
 * @returns its description
 */
export function describeError(error: unknown): ErrorData {
  if (typeof error !== "object" || error === null) {
    return { name: typeof error, code: "ECHELON_TASK_FAILED", message: String(error), retryable: true };
  }
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    details?: unknown;
    cause?: unknown;
  };
  const details = jsonDetails(e.details);
  const cause = e.cause instanceof Error ? e.cause : undefined;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  return {
    name: typeof e.name === "string" ? e.name : "Error",
    code: typeof e.code === "string" && e.code.startsWith("ECHELON_") ? e.code : "ECHELON_TASK_FAILED",
    message: typeof e.message === "string" ? e.message : String(error),
    ...(details !== undefined ? { details } : {}),
    retryable: !isNonRetryable(error),
    ...(cause !== undefined
      ? {
          cause: {
            name: cause.name,
            message: cause.message,
            ...(typeof causeCode === "string" ? { code: causeCode } : {}),
          },
        }
      : typeof e.code === "string" && !e.code.startsWith("ECHELON_")
        ? {
            cause: {
              name: typeof e.name === "string" ? e.name : "Error",
              message: String(e.message),
              code: e.code,
            },
          }
        : {}),
  };
}

/**
 * Turns {@link ErrorData} back into an error: an {@link EchelonError} with its code and
 * details, a {@link NonRetryableError} when it must not be retried.
 *
 * @param data - the description
 * @returns the error to fail the attempt with
 */
export function toError(data: ErrorData): EchelonError {
  const options = {
    code: data.code as `ECHELON_${string}`,
    ...(data.details !== undefined ? { details: data.details } : {}),
    ...(data.cause !== undefined ? { cause: Object.assign(new Error(data.cause.message), data.cause) } : {}),
  };
  if (!data.retryable) return new NonRetryableError(data.message, options);
  const { code, ...rest } = options;
  return new EchelonError(code, data.message, rest);
}

/**
 * The failed reason a host writes for a job whose agent threw.
 *
 * @param failure - what crosses
 * @returns JSON text
 */
export function encodeFailure(failure: RemoteFailure): string {
  return JSON.stringify(failure);
}

/**
 * Reads a job's failed reason: an Echelon host's {@link RemoteFailure}, or a reason BullMQ
 * itself wrote (a stalled job, a lost lock), which becomes a retryable transport error.
 *
 * @param reason - the job's `failedReason`
 * @param jobId - for the message
 * @returns the failure, and whether the agent asked to stop the orchestration
 */
export function decodeFailure(reason: string, jobId: string): { error: EchelonError; stop: boolean } {
  if (reason.startsWith('{"echelon":')) {
    try {
      const parsed = JSON.parse(reason) as RemoteFailure;
      if (parsed.echelon === FAILURE_VERSION && typeof parsed.error?.code === "string") {
        return { error: toError(parsed.error), stop: parsed.stop === true };
      }
    } catch {
      // Not ours after all: reported as BullMQ's own reason below.
    }
  }
  if (/stalled more than allowable limit/.test(reason)) {
    return {
      error: new EchelonError(
        TransportErrorCode.JOB_STALLED,
        `Job "${jobId}" stalled too often (its worker hosts died or blocked past the lock) and BullMQ failed it. Check the hosts' health; the orchestrator's retry policy may run it again.`,
        { details: { jobId, reason } },
      ),
      stop: false,
    };
  }
  return {
    error: new EchelonError(
      TransportErrorCode.JOB_FAILED,
      `BullMQ failed job "${jobId}": ${reason}. This is not the agent's error; check the worker hosts' logs.`,
      { details: { jobId, reason } },
    ),
    stop: false,
  };
}

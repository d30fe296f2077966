import { type AgentWork, EchelonError, isNonRetryable, NonRetryableError } from "@echelon/core";
import { TransportErrorCode } from "./errors.js";

/** Version of the job payload; a host refuses payloads of another version (`ECHELON_TRANSPORT_JOB_INVALID`). */
export const WIRE_VERSION = 1;

/** What a job carries: the work and the facts of the attempt. Plain JSON. */
export interface RemoteJobData {
  readonly v: typeof WIRE_VERSION;
  readonly work: AgentWork;
  /** The step's idempotency key (`orchestrationId/nodePath`), the same across attempts and resumes. */
  readonly idempotencyKey: string;
  readonly attempt: number;
  readonly orchestrationId: string;
  readonly level: string;
  readonly levelIndex: number;
  /** Capabilities of the remote agent type that enqueued it (used when the task requires none). */
  readonly offered: readonly string[];
  /** Random per enqueue: tells this enqueue's job from one a crashed process left behind. */
  readonly token: string;
}

/** What a host returns for a job that succeeded (the BullMQ return value). */
export interface RemoteSuccess {
  readonly ok: true;
  readonly output: unknown;
  /** Worker host and agent that ran it. */
  readonly host: string;
  readonly agentId: string;
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
  readonly echelon: typeof WIRE_VERSION;
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
      if (parsed.echelon === WIRE_VERSION && typeof parsed.error?.code === "string") {
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

/**
 * Checks that a job's data is an Echelon payload this version understands.
 *
 * @param data - the job's data
 * @param jobId - for the message
 * @returns the payload
 * @throws EchelonError `ECHELON_TRANSPORT_JOB_INVALID` (not retryable)
 */
export function readJobData(data: unknown, jobId: string): RemoteJobData {
  const d = data as Partial<RemoteJobData> | null;
  if (
    typeof d === "object" &&
    d !== null &&
    d.v === WIRE_VERSION &&
    typeof d.work === "object" &&
    d.work !== null &&
    typeof d.idempotencyKey === "string" &&
    typeof d.attempt === "number" &&
    Array.isArray(d.work.capabilities)
  ) {
    return d as RemoteJobData;
  }
  throw new NonRetryableError(
    `Job "${jobId}" is not an Echelon job of payload version ${WIRE_VERSION} (got version ${String(d?.v)}). Give Echelon its own queue, and run worker hosts of the orchestrator's @echelon/transport-bullmq version.`,
    { code: TransportErrorCode.JOB_INVALID, details: { jobId, version: d?.v ?? null } },
  );
}

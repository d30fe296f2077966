import { type EchelonErrorCode, toEchelonError } from "@echelon/core";
import { assertJsonSerializable } from "@echelon/core/plugin";
import { AdapterErrorCode } from "./errors.js";

/** A compact, JSON error inside a {@link ToolResponse}: what an LLM or a caller needs to react. */
export interface ToolError {
  /** Stable Echelon code, e.g. `ECHELON_ORCHESTRATION_UNKNOWN`. */
  readonly code: EchelonErrorCode;
  /** What happened and what to do. */
  readonly message: string;
  /** Structured facts (issue paths, ids), when the error has any. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * What every tool call and every 12-Factor task returns. Never thrown: failures are data, so
 * they can be handed back to an LLM as a tool result.
 */
export interface ToolResponse<T = unknown> {
  /** True when the call did what was asked. */
  readonly success: boolean;
  /** The result (JSON); `null` on failure, unless the failure carries partial data (a failed orchestration's result). */
  readonly data: T | null;
  /** The failure, coded, when `success` is false. */
  readonly error?: ToolError;
  /** A short human-readable summary. */
  readonly message?: string;
  /** Extra facts about the call (timings, counts). JSON. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * A successful {@link ToolResponse}.
 *
 * @param data - the result (JSON)
 * @param message - optional summary
 * @param metadata - optional facts
 * @returns the response
 */
export function toolSuccess<T>(
  data: T,
  message?: string,
  metadata?: Readonly<Record<string, unknown>>,
): ToolResponse<T> {
  return {
    success: true,
    data,
    ...(message !== undefined ? { message } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/**
 * A failed {@link ToolResponse} from anything thrown: an EchelonError keeps its code, message
 * and details; anything else is wrapped under `code`.
 *
 * @param error - the thrown value
 * @param code - the code for errors that are not EchelonErrors. Default `ECHELON_TOOL_FAILED`.
 * @returns the response, with `data: null`
 */
export function toolFailure(
  error: unknown,
  code: EchelonErrorCode = AdapterErrorCode.TOOL_FAILED,
): ToolResponse<never> {
  const coded = toEchelonError(error, code);
  const details = Object.keys(coded.details).length > 0 ? coded.details : undefined;
  let safeDetails = details;
  if (details !== undefined) {
    try {
      assertJsonSerializable(details, "error details");
    } catch {
      safeDetails = undefined; // details that cannot cross the boundary are dropped, the code and message stay
    }
  }
  return {
    success: false,
    data: null,
    error: {
      code: coded.code,
      message: coded.message,
      ...(safeDetails !== undefined ? { details: safeDetails } : {}),
    },
    message: coded.message,
  };
}

/**
 * True when `value` has the shape of a {@link ToolResponse} (a boolean `success` and a `data` key).
 *
 * @param value - anything
 * @returns whether it is a ToolResponse
 */
export function isToolResponse(value: unknown): value is ToolResponse {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ToolResponse).success === "boolean" &&
    "data" in value
  );
}

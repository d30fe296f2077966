import { EchelonError, isEchelonError } from "@echelon/core";
import { APICallError } from "ai";
import { LlmErrorCode } from "./errors.js";
import { retryAfterMs } from "./retry-after.js";

/** How a failed provider call is handled. Internal. */
export interface ClassifiedError {
  /** Worth retrying (429, 408, 5xx, connection errors). */
  readonly retryable: boolean;
  /** Wait the provider asked for, ms, or `null`. */
  readonly retryAfterMs: number | null;
  /** The coded error to throw when giving up. */
  readonly error: EchelonError;
}

const RESPONSE_ERRORS = new Set([
  "AI_JSONParseError",
  "AI_TypeValidationError",
  "AI_InvalidResponseDataError",
  "AI_EmptyResponseBodyError",
]);

function truncate(text: string | undefined, max = 500): string | undefined {
  if (text === undefined) return undefined;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Maps an error from an AI SDK call to a coded {@link EchelonError} and says whether to retry.
 *
 * @param error - what `generateText` threw
 * @param model - model id, for messages
 * @returns the classification
 * @internal
 */
export function classifyError(error: unknown, model: string): ClassifiedError {
  if (isEchelonError(error)) return { retryable: false, retryAfterMs: null, error };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const details = {
      model,
      ...(status !== undefined ? { status } : {}),
      url: error.url,
      ...(error.responseBody !== undefined ? { responseBody: truncate(error.responseBody) } : {}),
    };
    const after = retryAfterMs(error.responseHeaders, Date.now());
    if (status === 429) {
      return {
        retryable: true,
        retryAfterMs: after,
        error: new EchelonError(
          LlmErrorCode.RATE_LIMITED,
          `Model "${model}" kept answering HTTP 429 (rate limited). Lower the limiter's concurrency or requestsPerMinute, or raise retry.maxRetries.`,
          { cause: error, details: { ...details, ...(after !== null ? { retryAfterMs: after } : {}) } },
        ),
      };
    }
    if (status !== undefined && status >= 200 && status < 300) {
      return {
        retryable: false,
        retryAfterMs: null,
        error: new EchelonError(
          LlmErrorCode.RESPONSE_INVALID,
          `Model "${model}" sent a response that could not be read (${error.message}). Check the server speaks the provider's protocol.`,
          { cause: error, details },
        ),
      };
    }
    const retryable = status === undefined ? error.isRetryable : status === 408 || status >= 500;
    return {
      retryable,
      retryAfterMs: after,
      error: new EchelonError(
        LlmErrorCode.PROVIDER_ERROR,
        `Model "${model}" request failed${status !== undefined ? ` with HTTP ${status}` : ""}: ${error.message}.${status === 401 || status === 403 ? " Check the API key." : ""}`,
        { cause: error, details },
      ),
    };
  }
  const name = error instanceof Error ? error.name : "";
  if (RESPONSE_ERRORS.has(name)) {
    return {
      retryable: false,
      retryAfterMs: null,
      error: new EchelonError(
        LlmErrorCode.RESPONSE_INVALID,
        `Model "${model}" sent a response that could not be read: ${(error as Error).message}`,
        { cause: error, details: { model } },
      ),
    };
  }
  return {
    retryable: false,
    retryAfterMs: null,
    error: new EchelonError(
      LlmErrorCode.PROVIDER_ERROR,
      `Model "${model}" request failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { model } },
    ),
  };
}

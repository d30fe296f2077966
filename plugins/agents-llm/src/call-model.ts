import { CoreErrorCode, EchelonError } from "@echelon/core";
import { abortableDelay } from "@echelon/core/plugin";
import { NoObjectGeneratedError } from "ai";
import { classifyError } from "./classify-error.js";
import { LlmErrorCode } from "./errors.js";
import type { ProviderLimiter } from "./provider-limiter.js";

/** How provider errors are retried (429, 408, 5xx, connection errors). */
export interface LlmRetryOptions {
  /** Retries after the first request. Default 3. */
  readonly maxRetries?: number;
  /** First backoff when the provider gives no Retry-After, ms; doubles each retry. Default 500. */
  readonly baseDelayMs?: number;
  /** Longest backoff, ms. Default 30,000. */
  readonly maxDelayMs?: number;
  /** Longest Retry-After honoured, ms; a longer one fails at once with `ECHELON_LLM_RATE_LIMITED`. Default 60,000. */
  readonly maxRetryAfterMs?: number;
}

/** What {@link callModel} needs. Internal. */
export interface CallModelOptions {
  readonly model: string;
  readonly signal: AbortSignal;
  readonly limiter?: ProviderLimiter | undefined;
  readonly retry?: LlmRetryOptions | undefined;
  /** Called before each retry with the wait chosen. */
  readonly onRetry?: ((retry: number, delayMs: number, error: EchelonError) => void) | undefined;
}

/**
 * Checks retry options.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID`
 * @internal
 */
export function checkRetryOptions(retry: LlmRetryOptions | undefined): void {
  for (const [key, value] of Object.entries(retry ?? {})) {
    const ok =
      typeof value === "number" &&
      Number.isFinite(value) &&
      value >= 0 &&
      (key !== "maxRetries" || Number.isInteger(value));
    if (!ok) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `retry.${key} must be a non-negative ${key === "maxRetries" ? "integer" : "number"}, got ${String(value)}.`,
        {
          details: { option: `retry.${key}` },
        },
      );
    }
  }
}

/**
 * Runs one model request through the limiter, retrying 429, 408, 5xx and connection errors
 * with exponential backoff or the provider's Retry-After (which also pauses the shared
 * limiter, so sibling requests wait too). Aborts end at once with the signal's reason.
 *
 * @throws EchelonError `ECHELON_LLM_*` codes, or the signal's reason
 * @internal
 */
export async function callModel<T>(request: () => Promise<T>, options: CallModelOptions): Promise<T> {
  const { signal, limiter } = options;
  const maxRetries = options.retry?.maxRetries ?? 3;
  const base = options.retry?.baseDelayMs ?? 500;
  const maxDelay = options.retry?.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.retry?.maxRetryAfterMs ?? 60_000;
  for (let retry = 0; ; retry++) {
    try {
      return await (limiter ? limiter.schedule(request, signal) : request());
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // The request went through; the answer's content is the caller's to judge.
      if (NoObjectGeneratedError.isInstance(error)) throw error;
      const verdict = classifyError(error, options.model);
      if (!verdict.retryable || retry >= maxRetries) throw verdict.error;
      const after = verdict.retryAfterMs;
      if (after !== null && after > maxRetryAfter) {
        throw new EchelonError(
          LlmErrorCode.RATE_LIMITED,
          `Model "${options.model}" asked to retry after ${Math.round(after / 1000)} s, longer than retry.maxRetryAfterMs (${maxRetryAfter} ms). Try later or raise the limit.`,
          { cause: verdict.error, details: { model: options.model, retryAfterMs: after } },
        );
      }
      const delay = after ?? Math.min(maxDelay, base * 2 ** retry);
      options.onRetry?.(retry + 1, delay, verdict.error);
      if (after !== null && limiter) limiter.pauseUntil(Date.now() + after);
      else await abortableDelay(delay, signal);
    }
  }
}

import type { ResolvedRetryPolicy } from "./options.js";

/** Outcome of {@link retryUncancellable}. */
export type RetryOutcome =
  | { readonly ok: true; readonly attempts: number }
  | { readonly ok: false; readonly attempts: number; readonly error: unknown };

/** A backoff wait. Deliberately not cancellable: compensation must run to the end. */
function backoff(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `attempt` until it succeeds or the policy's attempts are used up, waiting between
 * attempts (exponential backoff). Never rejects.
 *
 * @param policy - the retry policy
 * @param attempt - one attempt, given its number (1-based)
 * @returns whether it succeeded, after how many attempts, and the last error
 */
export async function retryUncancellable(
  policy: ResolvedRetryPolicy,
  attempt: (n: number) => Promise<unknown>,
): Promise<RetryOutcome> {
  let delay = policy.backoffMs;
  let lastError: unknown;
  for (let n = 1; n <= policy.attempts; n++) {
    try {
      await attempt(n);
      return { ok: true, attempts: n };
    } catch (error) {
      lastError = error;
      if (n < policy.attempts) {
        await backoff(Math.min(delay, policy.maxBackoffMs));
        delay *= policy.factor;
      }
    }
  }
  return { ok: false, attempts: policy.attempts, error: lastError };
}

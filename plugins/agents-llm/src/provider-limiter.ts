import { CoreErrorCode, EchelonError } from "@echelon/core";

/** Options of {@link createProviderLimiter}. */
export interface ProviderLimiterOptions {
  /** Most requests in flight at once. */
  readonly concurrency: number;
  /** Most requests started per minute (a token bucket refilled continuously). Unlimited when absent. */
  readonly requestsPerMinute?: number;
  /** Requests that may start back to back before the per-minute rate applies. Default: one second's worth (at least 1). */
  readonly burst?: number;
}

/** Counters of a {@link ProviderLimiter}. */
export interface ProviderLimiterStats {
  /** Requests running now. */
  readonly active: number;
  /** Requests waiting for a slot or a rate token. */
  readonly queued: number;
  /** Requests started so far. */
  readonly started: number;
  /** Epoch ms until which no request starts (after a Retry-After), or 0. */
  readonly pausedUntil: number;
}

/**
 * A limiter shared by every agent that calls one provider: at most `concurrency` requests in
 * flight and `requestsPerMinute` started, in FIFO order, so a wide fan-out queues here instead
 * of meeting a wall of HTTP 429s. After a 429 with Retry-After, {@link pauseUntil} holds every
 * request back until the provider is ready again.
 */
export interface ProviderLimiter {
  /**
   * Runs `fn` when a slot and a rate token are free.
   *
   * @param fn - the request
   * @param signal - aborts the wait (rejects with the signal's reason); the running request gets it too
   * @returns what `fn` returns
   */
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Starts no request before `epochMs` (the later of this and any earlier pause wins). */
  pauseUntil(epochMs: number): void;
  /** Current counters. */
  stats(): ProviderLimiterStats;
}

interface Waiter {
  readonly start: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

function positive(option: string, value: number | undefined, integer: boolean): void {
  if (value === undefined) return;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `createProviderLimiter: ${option} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}.`,
      { details: { option } },
    );
  }
}

/**
 * Creates a {@link ProviderLimiter}. Create one per provider (or per API key) and pass it to
 * every `llmAgent` and `llmDecomposer` that uses that provider.
 *
 * @param options - concurrency, requests per minute, burst
 * @returns the limiter
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a non-positive option
 * @example
 * ```ts
 * const openaiLimiter = createProviderLimiter({ concurrency: 16, requestsPerMinute: 500 });
 * ```
 */
export function createProviderLimiter(options: ProviderLimiterOptions): ProviderLimiter {
  positive("concurrency", options?.concurrency, true);
  if (options?.concurrency === undefined) positive("concurrency", Number.NaN, true);
  positive("requestsPerMinute", options.requestsPerMinute, false);
  positive("burst", options.burst, true);
  const rpm = options.requestsPerMinute;
  const perMs = rpm === undefined ? Number.POSITIVE_INFINITY : rpm / 60_000;
  const capacity = options.burst ?? (rpm === undefined ? 1 : Math.max(1, Math.floor(rpm / 60)));
  let tokens = capacity;
  let refilledAt = performance.now();
  let active = 0;
  let started = 0;
  let pausedUntil = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const queue: Waiter[] = [];

  const refill = () => {
    if (rpm === undefined) return;
    const now = performance.now();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * perMs);
    refilledAt = now;
  };

  const wakeIn = (ms: number) => {
    if (timer !== null) return;
    timer = setTimeout(
      () => {
        timer = null;
        pump();
      },
      Math.max(1, Math.ceil(ms)),
    );
  };

  const pump = () => {
    while (queue.length > 0 && active < options.concurrency) {
      const wait = pausedUntil - Date.now();
      if (wait > 0) return wakeIn(wait);
      refill();
      if (rpm !== undefined && tokens < 1) return wakeIn((1 - tokens) / perMs);
      if (rpm !== undefined) tokens -= 1;
      const next = queue.shift()!;
      next.signal?.removeEventListener("abort", next.onAbort);
      active++;
      started++;
      next.start();
    }
  };

  return {
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          signal,
          reject,
          start: () => {
            let run: Promise<T>;
            try {
              run = fn();
            } catch (error) {
              run = Promise.reject(error);
            }
            run.then(resolve, reject).finally(() => {
              active--;
              pump();
            });
          },
          onAbort: () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal?.reason);
          },
        };
        signal?.addEventListener("abort", waiter.onAbort, { once: true });
        queue.push(waiter);
        pump();
      });
    },
    pauseUntil(epochMs: number) {
      if (!Number.isFinite(epochMs) || epochMs <= pausedUntil) return;
      pausedUntil = epochMs;
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
      pump();
    },
    stats: () => ({
      active,
      queued: queue.length,
      started,
      pausedUntil: pausedUntil > Date.now() ? pausedUntil : 0,
    }),
  };
}

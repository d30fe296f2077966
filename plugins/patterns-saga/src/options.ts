import { EchelonError } from "@echelon/core";
import { SagaErrorCode } from "./errors.js";

/** How a compensation is retried. Waits between attempts are real timers and are not cancellable. */
export interface CompensationRetryPolicy {
  /** Total attempts including the first. Default 3. */
  readonly attempts?: number;
  /** Wait before the second attempt, in milliseconds. Default 100. */
  readonly backoffMs?: number;
  /** Multiplier applied to the wait after every attempt. Default 2. */
  readonly factor?: number;
  /** Upper bound on one wait, in milliseconds. Default 30,000. */
  readonly maxBackoffMs?: number;
  /** In-process handlers only: abort one attempt's signal after this many milliseconds and count it failed. */
  readonly timeoutMs?: number;
}

/** What to do with the remaining compensations once one finally failed. */
export type CompensationFailurePolicy = "continue" | "stop";

/**
 * Options of the saga pattern: defaults given to the factory, overridden per node by the
 * node's `patternOptions` (or the executor call's options).
 */
export interface SagaOptions {
  /** Retry policy of compensations (a handler registered with its own policy keeps that one). */
  readonly compensationRetry?: CompensationRetryPolicy;
  /**
   * `continue` (default): a compensation that finally fails is recorded and the earlier steps
   * are still compensated. `stop`: the remaining compensations are recorded as not attempted.
   */
  readonly onCompensationFailure?: CompensationFailurePolicy;
}

/** A retry policy with every field set. */
export interface ResolvedRetryPolicy {
  /** Total attempts including the first. */
  readonly attempts: number;
  /** Wait before the second attempt, in milliseconds. */
  readonly backoffMs: number;
  /** Multiplier applied to the wait after every attempt. */
  readonly factor: number;
  /** Upper bound on one wait, in milliseconds. */
  readonly maxBackoffMs: number;
  /** Per-attempt timeout of in-process handlers, or `null` for none. */
  readonly timeoutMs: number | null;
}

/** Options after merging and validation. */
export interface ResolvedSagaOptions {
  readonly retry: ResolvedRetryPolicy;
  readonly onCompensationFailure: CompensationFailurePolicy;
}

/** The compensation retry policy used when none is given. */
export const DEFAULT_COMPENSATION_RETRY: ResolvedRetryPolicy = {
  attempts: 3,
  backoffMs: 100,
  factor: 2,
  maxBackoffMs: 30_000,
  timeoutMs: null,
};

function invalid(option: string, value: unknown, what: string): EchelonError {
  return new EchelonError(
    SagaErrorCode.INVALID_OPTIONS,
    `saga: "${option}" must be ${what}, got ${String(value)}.`,
    {
      details: { option, value: String(value) },
    },
  );
}

const finiteAtLeast = (v: unknown, min: number): boolean =>
  typeof v === "number" && Number.isFinite(v) && v >= min;

/**
 * Validates a retry policy.
 *
 * @param policy - the policy (may be undefined)
 * @param where - option path for messages
 * @throws EchelonError `ECHELON_SAGA_INVALID_OPTIONS`
 */
export function checkRetryPolicy(policy: unknown, where: string): void {
  if (policy === undefined) return;
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw invalid(where, policy, "an object { attempts, backoffMs, factor, maxBackoffMs, timeoutMs }");
  }
  const p = policy as Record<string, unknown>;
  if (p.attempts !== undefined && !(Number.isInteger(p.attempts) && (p.attempts as number) >= 1)) {
    throw invalid(`${where}.attempts`, p.attempts, "a positive integer");
  }
  if (p.backoffMs !== undefined && !finiteAtLeast(p.backoffMs, 0))
    throw invalid(`${where}.backoffMs`, p.backoffMs, "a number ≥ 0");
  if (p.factor !== undefined && !finiteAtLeast(p.factor, 1))
    throw invalid(`${where}.factor`, p.factor, "a number ≥ 1");
  if (p.maxBackoffMs !== undefined && !finiteAtLeast(p.maxBackoffMs, 0)) {
    throw invalid(`${where}.maxBackoffMs`, p.maxBackoffMs, "a number ≥ 0");
  }
  if (p.timeoutMs !== undefined && !(finiteAtLeast(p.timeoutMs, 0) && (p.timeoutMs as number) > 0)) {
    throw invalid(`${where}.timeoutMs`, p.timeoutMs, "a positive number of milliseconds");
  }
}

/**
 * Validates options given to the factory (defaults) or to a node.
 *
 * @throws EchelonError `ECHELON_SAGA_INVALID_OPTIONS`
 */
export function checkSagaOptions(options: Readonly<Record<string, unknown>>): void {
  checkRetryPolicy(options.compensationRetry, "compensationRetry");
  const policy = options.onCompensationFailure;
  if (policy !== undefined && policy !== "continue" && policy !== "stop") {
    throw invalid("onCompensationFailure", policy, '"continue" or "stop"');
  }
}

/** Fills a policy with defaults. */
export function resolveRetry(
  ...layers: (CompensationRetryPolicy | ResolvedRetryPolicy | undefined)[]
): ResolvedRetryPolicy {
  const merged = Object.assign({}, DEFAULT_COMPENSATION_RETRY, ...layers.filter((l) => l !== undefined));
  return { ...merged, timeoutMs: merged.timeoutMs ?? null };
}

/**
 * Merges factory defaults and node options.
 *
 * @throws EchelonError `ECHELON_SAGA_INVALID_OPTIONS`
 */
export function resolveSagaOptions(
  defaults: SagaOptions,
  nodeOptions: Readonly<Record<string, unknown>>,
): ResolvedSagaOptions {
  checkSagaOptions(nodeOptions);
  const node = nodeOptions as SagaOptions;
  return {
    retry: resolveRetry(defaults.compensationRetry, node.compensationRetry),
    onCompensationFailure: node.onCompensationFailure ?? defaults.onCompensationFailure ?? "continue",
  };
}

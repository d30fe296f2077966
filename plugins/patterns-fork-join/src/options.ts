import { EchelonError } from "@echelon/core";
import { ForkJoinErrorCode } from "./errors.js";

/** What happens to running siblings when a child fails. */
export type FailurePolicy = "fail-fast" | "continue";

/**
 * Options of the fork-join pattern: defaults given to the factory, overridden per node by the
 * node's `patternOptions` (or the executor call's options).
 */
export interface ForkJoinOptions {
  /** Join strategy: `all` (default), `all-settled`, `first-success` or a registered name. */
  readonly join?: string;
  /**
   * `fail-fast` aborts running siblings and starts nothing more once a child fails;
   * `continue` lets every child that can run finish. Default: the join strategy's default
   * (`fail-fast` for `all` and custom strategies, `continue` for `all-settled` and `first-success`).
   * `failFast` is accepted as a spelling of `fail-fast`.
   */
  readonly failurePolicy?: FailurePolicy | "failFast";
  /** Most children running at once; capped by the slots available (`ctx.concurrency`). */
  readonly maxParallel?: number;
  /**
   * When true, a child with dependencies receives `{ [depId]: output }` merged into its
   * input (see the README for the merge rule). Default false: children get their own input.
   */
  readonly passOutputs?: boolean;
}

/** Options after merging and validation. */
export interface ResolvedForkJoinOptions {
  readonly join: string;
  readonly failurePolicy: FailurePolicy | undefined;
  readonly maxParallel: number;
  readonly passOutputs: boolean;
}

function invalid(message: string, option: string, value: unknown): EchelonError {
  return new EchelonError(ForkJoinErrorCode.INVALID_OPTIONS, message, {
    details: { option, value: typeof value === "object" ? JSON.stringify(value) : String(value) },
  });
}

/**
 * Validates options given to the factory (defaults) or to a node.
 *
 * @throws EchelonError `ECHELON_FORK_JOIN_INVALID_OPTIONS`
 */
export function checkForkJoinOptions(options: Readonly<Record<string, unknown>>): void {
  const { join, failurePolicy, maxParallel, passOutputs } = options;
  if (join !== undefined && (typeof join !== "string" || join.length === 0)) {
    throw invalid(`fork-join: "join" must be a non-empty strategy name, got ${String(join)}.`, "join", join);
  }
  if (
    failurePolicy !== undefined &&
    failurePolicy !== "fail-fast" &&
    failurePolicy !== "failFast" &&
    failurePolicy !== "continue"
  ) {
    throw invalid(
      `fork-join: "failurePolicy" must be "fail-fast" or "continue", got ${String(failurePolicy)}.`,
      "failurePolicy",
      failurePolicy,
    );
  }
  if (
    maxParallel !== undefined &&
    (typeof maxParallel !== "number" || !Number.isInteger(maxParallel) || maxParallel < 1)
  ) {
    throw invalid(
      `fork-join: "maxParallel" must be a positive integer, got ${String(maxParallel)}.`,
      "maxParallel",
      maxParallel,
    );
  }
  if (passOutputs !== undefined && typeof passOutputs !== "boolean") {
    throw invalid(
      `fork-join: "passOutputs" must be true or false, got ${String(passOutputs)}.`,
      "passOutputs",
      passOutputs,
    );
  }
}

/**
 * Merges factory defaults and node options, and bounds `maxParallel` by the available slots.
 *
 * @throws EchelonError `ECHELON_FORK_JOIN_INVALID_OPTIONS`
 */
export function resolveForkJoinOptions(
  defaults: ForkJoinOptions,
  nodeOptions: Readonly<Record<string, unknown>>,
  concurrency: number,
): ResolvedForkJoinOptions {
  checkForkJoinOptions(nodeOptions);
  const merged = { ...defaults, ...nodeOptions } as ForkJoinOptions;
  const slots =
    Number.isFinite(concurrency) && concurrency >= 1 ? Math.floor(concurrency) : Number.POSITIVE_INFINITY;
  const wanted = merged.maxParallel ?? slots;
  const policy = merged.failurePolicy === "failFast" ? "fail-fast" : merged.failurePolicy;
  return {
    join: merged.join ?? "all",
    failurePolicy: policy,
    maxParallel: Math.max(1, Math.min(wanted, slots)),
    passOutputs: merged.passOutputs ?? false,
  };
}

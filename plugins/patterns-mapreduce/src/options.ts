import { EchelonError } from "@echelon/core";
import { MapReduceErrorCode } from "./errors.js";

/** What to do when a map run fails. */
export type MapFailurePolicy = "fail-fast" | "continue";

/** Options of one map-reduce run (`patternOptions` of the node, or the executor call's). */
export interface MapReduceRunOptions {
  /** Reducer name: a built-in (`concat`, `flatten`, `sum`, `count`, `min`, `max`, `merge-counts`, `merge-objects`) or a registered one. Default `concat`. */
  readonly reducer?: string;
  /** Reducer applied to each partition's outputs before they reach `reducer`. Default none. */
  readonly combiner?: string;
  /** Children per partition. Default `ceil(children / window)`: one partition per slot. */
  readonly chunkSize?: number;
  /** `fail-fast` (default): the first failure aborts the running maps and fails the run. `continue`: failures are listed and the run is `partial`. */
  readonly onError?: MapFailurePolicy;
  /** Most map runs in flight. Default (and upper bound) `ctx.concurrency`. */
  readonly maxInFlight?: number;
}

/** The options after defaults and checks. */
export interface ResolvedRunOptions {
  readonly reducer: string;
  readonly combiner: string | null;
  readonly chunkSize: number;
  readonly onError: MapFailurePolicy;
  readonly window: number;
}

function invalid(message: string, option: string): EchelonError {
  return new EchelonError(MapReduceErrorCode.OPTIONS_INVALID, `mapreduce: ${message}`, {
    details: { option },
  });
}

function positive(raw: Record<string, unknown>, key: string): number | undefined {
  const value = raw[key];
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw invalid(`${key} must be a positive integer, got ${JSON.stringify(value)}.`, key);
  }
  return value;
}

/**
 * Checks and completes run options.
 *
 * @param raw - `ctx.options` merged over the plugin defaults
 * @param childCount - number of children
 * @param concurrency - `ctx.concurrency`
 * @returns resolved options
 * @throws EchelonError `ECHELON_MAPREDUCE_OPTIONS_INVALID` naming the option to fix
 */
export function resolveRunOptions(
  raw: Readonly<Record<string, unknown>>,
  childCount: number,
  concurrency: number,
): ResolvedRunOptions {
  const { reducer = "concat", combiner, onError = "fail-fast" } = raw;
  if (typeof reducer !== "string")
    throw invalid(`reducer must be a reducer name, got ${typeof reducer}.`, "reducer");
  if (combiner !== undefined && typeof combiner !== "string") {
    throw invalid(`combiner must be a reducer name, got ${typeof combiner}.`, "combiner");
  }
  if (onError !== "fail-fast" && onError !== "continue") {
    throw invalid(`onError must be "fail-fast" or "continue", got ${JSON.stringify(onError)}.`, "onError");
  }
  const slots = Number.isFinite(concurrency) && concurrency >= 1 ? Math.floor(concurrency) : 1;
  const window = Math.min(slots, positive(raw, "maxInFlight") ?? slots);
  const chunkSize = positive(raw, "chunkSize") ?? Math.max(1, Math.ceil(childCount / window));
  return { reducer, combiner: combiner ?? null, chunkSize, onError, window };
}

import type { TaskSpec } from "../model/task.js";
import { invalidOption } from "./plan-errors.js";

/** The largest `maxDepth` accepted: deeper trees are refused before any recursion. */
export const MAX_PLAN_DEPTH = 64;

/** Default {@link PlanBuildOptions.maxNodes}. */
export const DEFAULT_MAX_NODES = 1_000_000;

/**
 * Options of {@link validateTaskSpec}, {@link specToPlan} and {@link validatePlan}.
 *
 * @example
 * ```ts
 * const options: PlanBuildOptions = { maxDepth: 3, patterns: ["fork-join", "mapreduce"] };
 * ```
 */
export interface PlanBuildOptions {
  /** Deepest node depth allowed, the root being 0. An integer from 0 to 64. */
  readonly maxDepth: number;
  /** Registered pattern names; when given, a pattern outside this list is `ECHELON_PATTERN_UNKNOWN`. */
  readonly patterns?: readonly string[];
  /**
   * Picks the pattern of a composite task that names none (`specToPlan` only). Receives the
   * validated, frozen spec of that task and its depth; must return a non-empty pattern name.
   */
  readonly choosePattern?: (node: TaskSpec, depth: number) => string;
  /** Pattern of composite tasks that name none when there is no `choosePattern`. Default `"fork-join"`. */
  readonly defaultPattern?: string;
  /** Recorded as `Plan.source` by `specToPlan`. Default `"spec"`. */
  readonly source?: string;
  /** Most tasks a spec or plan may hold (compensations excluded). Default 1,000,000. */
  readonly maxNodes?: number;
}

/** {@link PlanBuildOptions} checked and with defaults applied. @internal */
export interface ResolvedPlanOptions {
  readonly maxDepth: number;
  readonly patterns: readonly string[] | null;
  readonly patternSet: ReadonlySet<string> | null;
  readonly choosePattern: ((node: TaskSpec, depth: number) => string) | null;
  readonly defaultPattern: string;
  readonly source: string;
  readonly maxNodes: number;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/**
 * Checks plan options and applies defaults.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` naming the bad option
 * @internal
 */
export function resolvePlanOptions(options: PlanBuildOptions): ResolvedPlanOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidOption("options", "must be an object with at least maxDepth");
  }
  const { maxDepth, patterns, choosePattern, defaultPattern, source, maxNodes } = options;
  if (
    typeof maxDepth !== "number" ||
    !Number.isInteger(maxDepth) ||
    maxDepth < 0 ||
    maxDepth > MAX_PLAN_DEPTH
  ) {
    throw invalidOption(
      "maxDepth",
      `must be an integer from 0 to ${MAX_PLAN_DEPTH}; got ${String(maxDepth)}`,
    );
  }
  if (patterns !== undefined && (!Array.isArray(patterns) || !patterns.every(nonEmptyString))) {
    throw invalidOption("patterns", "must be an array of non-empty pattern names");
  }
  if (choosePattern !== undefined && typeof choosePattern !== "function") {
    throw invalidOption("choosePattern", "must be a function (node, depth) => pattern name");
  }
  if (defaultPattern !== undefined && !nonEmptyString(defaultPattern)) {
    throw invalidOption("defaultPattern", "must be a non-empty pattern name");
  }
  if (source !== undefined && !nonEmptyString(source)) {
    throw invalidOption("source", 'must be a non-empty string such as "spec" or "llm"');
  }
  if (
    maxNodes !== undefined &&
    (typeof maxNodes !== "number" || !Number.isSafeInteger(maxNodes) || maxNodes < 1)
  ) {
    throw invalidOption("maxNodes", `must be a positive integer; got ${String(maxNodes)}`);
  }
  return {
    maxDepth,
    patterns: patterns === undefined ? null : [...patterns],
    patternSet: patterns === undefined ? null : new Set(patterns),
    choosePattern: choosePattern ?? null,
    defaultPattern: defaultPattern ?? "fork-join",
    source: source ?? "spec",
    maxNodes: maxNodes ?? DEFAULT_MAX_NODES,
  };
}

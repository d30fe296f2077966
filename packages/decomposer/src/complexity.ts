import { CoreErrorCode, type Complexity, EchelonError } from "@echelon/core";
import { complexityForHeight, MAX_PLAN_DEPTH } from "@echelon/core/plugin";
import {
  type ResolvedDecomposerOptions,
  resolveDecomposerOptions,
  type TaskDecomposerOptions,
} from "./options.js";
import { parseOutline } from "./outline.js";
import { fitShape, outlineHeight } from "./shape.js";

/** Checks a `maxDepth`. @internal */
export function checkMaxDepth(maxDepth: unknown): number {
  if (
    typeof maxDepth !== "number" ||
    !Number.isInteger(maxDepth) ||
    maxDepth < 0 ||
    maxDepth > MAX_PLAN_DEPTH
  ) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `maxDepth must be an integer from 0 to ${MAX_PLAN_DEPTH}; got ${String(maxDepth)}.`,
      { details: { option: "maxDepth", value: String(maxDepth) } },
    );
  }
  return maxDepth;
}

/** @internal */
export function complexityWith(
  text: string,
  maxDepth: number,
  options: ResolvedDecomposerOptions,
): Complexity {
  const outline = parseOutline(text, options);
  return complexityForHeight(
    outlineHeight(outline, maxDepth, fitShape(outline, maxDepth, options, options.maxNodes)),
  );
}

/**
 * How many levels of decomposition a task text needs under the heuristic rules: `atomic` (0),
 * `simple` (1), `moderate` (2), `complex` (3) or `enterprise` (4+), bounded by `maxDepth`.
 * It is exactly the complexity of the root of the plan {@link TaskDecomposer.decompose} makes
 * for the same text, depth and options when every pattern is registered.
 *
 * @param text - the task description
 * @param maxDepth - deepest depth allowed (root = 0); default 64, i.e. unbounded in practice
 * @param options - the decomposer's options (fan-out and quantity bounds matter)
 * @returns the complexity
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a bad `maxDepth` or option
 * @example
 * ```ts
 * analyzeComplexity("Fix the typo in the README"); // "atomic"
 * analyzeComplexity("Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime"); // "enterprise"
 * analyzeComplexity("Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints", 2); // "moderate"
 * ```
 */
export function analyzeComplexity(
  text: string,
  maxDepth: number = MAX_PLAN_DEPTH,
  options: TaskDecomposerOptions = {},
): Complexity {
  return complexityWith(String(text), checkMaxDepth(maxDepth), resolveDecomposerOptions(options));
}

import { CoreErrorCode, EchelonError } from "@echelon/core";
import { type CapabilityRule, DEFAULT_CAPABILITY_RULES } from "./capabilities.js";

/** Options of a {@link TaskDecomposer} (and of the `heuristicDecomposer` plugin). */
export interface TaskDecomposerOptions {
  /** Most children of one quantity node ("500 API endpoints" → groups). Default 10, at least 2. */
  readonly maxFanOut?: number;
  /** Most levels one quantity may use below its node. Default 3. */
  readonly maxQuantityLevels?: number;
  /** Reviewers of a consensus node when the text gives no number. Default 3. */
  readonly reviewers?: number;
  /** Items a vague plural ("multiple providers") stands for. Default 3; 0 or 1 disables the rule. */
  readonly vagueCount?: number;
  /**
   * Capability inference: `true` (default rules), `false` (no capabilities are inferred, for
   * agents that declare none), or your own rules.
   */
  readonly capabilities?: boolean | readonly CapabilityRule[];
  /** Most capabilities inferred per task. Default 2. */
  readonly maxCapabilities?: number;
  /** Longest task text accepted, in characters. Default 20,000. */
  readonly maxTextLength?: number;
  /** Most tasks in one decomposed plan; quantities get coarser batches to fit. Default 5,000. */
  readonly maxNodes?: number;
  /** Plans kept in the LRU cache (by text and options). Default 500; 0 disables the cache. */
  readonly cacheSize?: number;
  /**
   * Lazy decomposition: plan only this many levels below the root now (1 to 64). A step below
   * them whose own text has structure is not split: it is marked `expand: { using: "decompose" }`,
   * and the orchestrator hands its description back to this decomposer, with the levels left,
   * when the step is reached. Default: none, every level is planned up front.
   */
  readonly eagerLevels?: number;
}

/** Options with defaults applied. @internal */
export interface ResolvedDecomposerOptions {
  readonly maxFanOut: number;
  readonly maxQuantityLevels: number;
  readonly reviewers: number;
  readonly vagueCount: number;
  readonly rules: readonly CapabilityRule[] | null;
  readonly maxCapabilities: number;
  readonly maxTextLength: number;
  readonly maxNodes: number;
  readonly cacheSize: number;
  /** Levels planned up front; `null` when every level is. */
  readonly eagerLevels: number | null;
}

function integer(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `TaskDecomposer option ${name} must be an integer from ${min} to ${max}; got ${String(v)}.`,
      { details: { option: name, value: String(v) } },
    );
  }
  return v;
}

/**
 * Checks decomposer options and applies defaults.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` naming the bad option
 * @internal
 */
export function resolveDecomposerOptions(options: TaskDecomposerOptions = {}): ResolvedDecomposerOptions {
  const capabilities = options.capabilities ?? true;
  if (typeof capabilities !== "boolean" && !Array.isArray(capabilities)) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "TaskDecomposer option capabilities must be true, false or an array of { capability, pattern } rules.",
      { details: { option: "capabilities" } },
    );
  }
  return {
    maxFanOut: integer("maxFanOut", options.maxFanOut, 10, 2, 1000),
    maxQuantityLevels: integer("maxQuantityLevels", options.maxQuantityLevels, 3, 1, 64),
    reviewers: integer("reviewers", options.reviewers, 3, 2, 100),
    vagueCount: integer("vagueCount", options.vagueCount, 3, 0, 100),
    rules: capabilities === true ? DEFAULT_CAPABILITY_RULES : capabilities === false ? null : capabilities,
    maxCapabilities: integer("maxCapabilities", options.maxCapabilities, 2, 1, 32),
    maxTextLength: integer("maxTextLength", options.maxTextLength, 20_000, 1, 10_000_000),
    maxNodes: integer("maxNodes", options.maxNodes, 5_000, 1, 1_000_000),
    cacheSize: integer("cacheSize", options.cacheSize, 500, 0, 1_000_000),
    eagerLevels:
      options.eagerLevels === undefined ? null : integer("eagerLevels", options.eagerLevels, 1, 1, 64),
  };
}

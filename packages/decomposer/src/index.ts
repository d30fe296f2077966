/**
 * `@echelon/decomposer` — heuristic task decomposition (text → plan), complexity analysis and
 * TaskSpec files (JSON, YAML) validated by core's schema.
 *
 * @packageDocumentation
 */
export { type CapabilityRule, DEFAULT_CAPABILITY_RULES, inferCapabilities } from "./capabilities.js";
export { analyzeComplexity } from "./complexity.js";
export { DecomposerErrorCode } from "./errors.js";
export { type LoadSpecOptions, loadSpec } from "./load-spec.js";
export type { TaskDecomposerOptions } from "./options.js";
export type { RuleName } from "./outline.js";
export type { HeuristicPattern } from "./patterns.js";
export { type HeuristicDecomposerOptions, heuristicDecomposer } from "./plugin.js";
export { TaskDecomposer } from "./task-decomposer.js";

import type { Pattern } from "../patterns/pattern.js";

/**
 * Names of the five built-in coordination patterns (the seed API's enum). Each is provided
 * by its own plugin package (`@echelon/patterns-mapreduce`, …).
 *
 * @example
 * ```ts
 * await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [worker]);
 * ```
 */
export const OrchestrationPattern = {
  /** Map each slice, then reduce the outputs (`@echelon/patterns-mapreduce`). */
  MAPREDUCE: "mapreduce",
  /** Items flow through ordered stages (`@echelon/patterns-pipeline`). */
  PIPELINE: "pipeline",
  /** Children run by their dependencies, results joined (`@echelon/patterns-fork-join`). */
  FORK_JOIN: "fork-join",
  /** The same request to several agents, answers gathered (`@echelon/patterns-scatter-gather`). */
  SCATTER_GATHER: "scatter-gather",
  /** Steps in order, completed ones compensated when a later one fails (`@echelon/patterns-saga`). */
  SAGA: "saga",
} as const;

/** One of the built-in pattern names. */
export type OrchestrationPattern = (typeof OrchestrationPattern)[keyof typeof OrchestrationPattern];

/**
 * Pattern objects by name, for typing `executor.patterns[name]`. Empty in core; each pattern
 * plugin adds its own entry by module augmentation so its registration methods are typed:
 *
 * @example
 * ```ts
 * declare module "@echelon/core" {
 *   interface PatternRegistry { mapreduce: MapReducePattern }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation in pattern plugins
export interface PatternRegistry {}

/** The patterns an executor knows, by name: typed through {@link PatternRegistry}, any other name is a plain {@link Pattern}. */
export type PatternMap = { readonly [K in keyof PatternRegistry]?: PatternRegistry[K] } & Readonly<
  Record<string, Pattern | undefined>
>;

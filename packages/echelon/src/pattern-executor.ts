import { PatternExecutor, type PatternExecutorOptions } from "@echelon/core";
import { withDefaultPlugins } from "./default-plugins.js";

/**
 * Creates core's `PatternExecutor` with the five patterns registered: run `mapreduce`,
 * `pipeline`, `fork-join`, `scatter-gather` or `saga` directly on slices, without a plan.
 * Plugins you pass are added; one named like a default pattern plugin replaces it.
 *
 * @param options - as core's options; `plugins` are added to (or replace) the default patterns
 * @returns the executor
 * @throws EchelonError `ECHELON_CONFIG_INVALID`, `ECHELON_PLUGIN_NAME_CONFLICT`, plugin boot codes
 * @example
 * ```ts
 * const executor = createPatternExecutor();
 * const run = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [countWords],
 *   { patternOptions: { reducer: "merge-counts" } });
 * ```
 */
export function createPatternExecutor(options: PatternExecutorOptions = {}): PatternExecutor {
  return new PatternExecutor({ ...options, plugins: withDefaultPlugins(options.plugins) });
}

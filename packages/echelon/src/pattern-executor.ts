import { PatternExecutor as CorePatternExecutor, type PatternExecutorOptions } from "@echelon/core";
import { withDefaultPlugins } from "./default-plugins.js";

/**
 * The pattern executor with the five patterns registered: run `mapreduce`, `pipeline`,
 * `fork-join`, `scatter-gather` or `saga` directly on slices, without a plan. Plugins you pass
 * are added; one named like a default pattern plugin replaces it.
 *
 * @example
 * ```ts
 * const executor = new PatternExecutor();
 * const run = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [countWords],
 *   { patternOptions: { reducer: "merge-counts" } });
 * ```
 */
export class PatternExecutor extends CorePatternExecutor {
  /**
   * @param options - as core's options; `plugins` are added to (or replace) the default patterns
   * @throws EchelonError `ECHELON_CONFIG_INVALID`, `ECHELON_DI_DUPLICATE_BINDING`, plugin boot codes
   */
  constructor(options: PatternExecutorOptions = {}) {
    super({ ...options, plugins: withDefaultPlugins(options.plugins) });
  }
}

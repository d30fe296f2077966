import { DECOMPOSER, definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import type { TaskDecomposerOptions } from "./options.js";
import { TaskDecomposer } from "./task-decomposer.js";
import { VERSION } from "./version.js";

/** Options of {@link heuristicDecomposer}. */
export interface HeuristicDecomposerOptions extends TaskDecomposerOptions {
  /** Replace a decomposer another plugin bound already. Default false (a second binding fails). */
  readonly override?: boolean;
}

/**
 * The plugin binding a {@link TaskDecomposer} under the `DECOMPOSER` token, so texts handed to
 * the orchestrator are decomposed by the heuristic rules. Each call makes its own decomposer
 * (and cache).
 *
 * @param options - the decomposer's options, and `override` to replace another decomposer
 * @returns the plugin `@echelon/decomposer`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` on a bad option; at registration,
 *   `ECHELON_DI_DUPLICATE_BINDING` when another decomposer is bound and `override` is not set
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator({
 *   plugins: [heuristicDecomposer({ maxFanOut: 8 }), forkJoinPattern(), pipelinePattern()],
 * });
 * ```
 */
export function heuristicDecomposer(options: HeuristicDecomposerOptions = {}): EchelonPlugin {
  const { override, ...decomposerOptions } = options;
  const decomposer = new TaskDecomposer(decomposerOptions);
  return definePlugin({
    name: "@echelon/decomposer",
    version: VERSION,
    register(context) {
      context.bind(DECOMPOSER, decomposer, override === true ? { override: true } : {});
    },
  });
}

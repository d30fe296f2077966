import {
  HierarchicalOrchestrator as CoreHierarchicalOrchestrator,
  type HierarchicalOrchestratorOptions,
} from "@echelon/core";
import { withDefaultPlugins } from "./default-plugins.js";

/** The default distribution strategy of the batteries-included orchestrator. */
export const DEFAULT_STRATEGY = "least-loaded";

/**
 * The orchestrator with the defaults wired: the heuristic decomposer, the four distribution strategies (default
 * `least-loaded`) and the five patterns are registered before your own plugins. A plugin you
 * pass with the same name as a default (say your own `mapReducePattern({ reducers })`) replaces
 * it. For a bare orchestrator, import `HierarchicalOrchestrator` from `@echelon/core`.
 *
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator({ maxDepth: 2, maxAgentsPerLevel: [1, 4, 8], agents });
 * const result = await orchestrator.orchestrateComplexTask(spec);
 * console.log(result.executionTime, result.agentsUsed, result.metadata.patternsUsed);
 * ```
 */
export class HierarchicalOrchestrator extends CoreHierarchicalOrchestrator {
  /**
   * @param options - as core's options; `plugins` are added to (or replace) the defaults
   * @throws EchelonError `ECHELON_CONFIG_INVALID`, `ECHELON_STRATEGY_UNKNOWN`, plugin boot codes (`ECHELON_PLUGIN_*`)
   */
  constructor(options: HierarchicalOrchestratorOptions = {}) {
    // With your own distributor plugin, its first strategy is the default unless you name one.
    const ownDistributor = (options.plugins ?? []).some((p) => p.name === "@echelon/distributor");
    const strategy = options.strategy ?? (ownDistributor ? undefined : DEFAULT_STRATEGY);
    super({
      ...options,
      ...(strategy !== undefined ? { strategy } : {}),
      plugins: withDefaultPlugins(options.plugins),
    });
  }
}

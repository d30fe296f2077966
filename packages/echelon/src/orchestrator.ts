import { HierarchicalOrchestrator, type HierarchicalOrchestratorOptions } from "@echelon/core";
import { withDefaultPlugins } from "./default-plugins.js";

/** The default distribution strategy of {@link createOrchestrator}. */
export const DEFAULT_STRATEGY = "least-loaded";

/**
 * Creates core's `HierarchicalOrchestrator` with the defaults wired: the heuristic decomposer,
 * the four distribution strategies (default `least-loaded`) and the five patterns are
 * registered before your own plugins. A plugin you pass with the same name as a default (say
 * your own `mapReducePattern({ reducers })`) replaces it. For a bare orchestrator, use
 * `new HierarchicalOrchestrator(...)` from `@echelon/core`.
 *
 * @param options - as core's options; `plugins` are added to (or replace) the defaults
 * @returns the orchestrator
 * @throws EchelonError `ECHELON_CONFIG_INVALID`, `ECHELON_STRATEGY_UNKNOWN`, plugin boot codes (`ECHELON_PLUGIN_*`)
 * @example
 * ```ts
 * const orchestrator = createOrchestrator({ maxDepth: 2, maxAgentsPerLevel: [1, 4, 8], agents });
 * const result = await orchestrator.orchestrateComplexTask(spec);
 * console.log(result.executionTime, result.agentsUsed, result.metadata.patternsUsed);
 * ```
 */
export function createOrchestrator(options: HierarchicalOrchestratorOptions = {}): HierarchicalOrchestrator {
  // With your own distributor plugin, its first strategy is the default unless you name one.
  const ownDistributor = (options.plugins ?? []).some((p) => p.name === "@echelon/distributor");
  const strategy = options.strategy ?? (ownDistributor ? undefined : DEFAULT_STRATEGY);
  return new HierarchicalOrchestrator({
    ...options,
    ...(strategy !== undefined ? { strategy } : {}),
    plugins: withDefaultPlugins(options.plugins),
  });
}

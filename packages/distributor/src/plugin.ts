import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { type BuiltInStrategyOptions, builtInStrategies } from "./strategies/built-in.js";
import { VERSION } from "./version.js";

/** Options of {@link distributionStrategies}. */
export interface DistributionStrategiesOptions extends BuiltInStrategyOptions {
  /** Register only these built-ins (by name). Default all four. */
  readonly only?: readonly ("round-robin" | "least-loaded" | "capability" | "priority")[];
}

/**
 * The plugin registering the four built-in strategies — `round-robin`, `least-loaded`,
 * `capability`, `priority` — under `DISTRIBUTION_STRATEGY`. Pick one with the orchestrator's
 * `strategy` option, or per plan node with its `strategy` field. Every call makes fresh
 * strategy instances, so orchestrators never share round-robin turns.
 *
 * @param options - per-strategy options and an optional subset
 * @returns the plugin `@echelon/distributor`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` on bad priority options
 * @example
 * ```ts
 * new HierarchicalOrchestrator({
 *   plugins: [distributionStrategies({ priority: { agingMs: 250 } })],
 *   strategy: "priority",
 * });
 * ```
 */
export function distributionStrategies(options: DistributionStrategiesOptions = {}): EchelonPlugin {
  const strategies = builtInStrategies(options).filter(
    (s) => options.only === undefined || (options.only as readonly string[]).includes(s.name),
  );
  return definePlugin({
    name: "@echelon/distributor",
    version: VERSION,
    register(context) {
      for (const strategy of strategies) context.registerStrategy(strategy);
    },
  });
}

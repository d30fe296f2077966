import type { DistributionStrategy } from "@echelon/core/plugin";
import { type CapabilityStrategyOptions, capabilityStrategy } from "./capability.js";
import { leastLoadedStrategy } from "./least-loaded.js";
import { type PriorityStrategyOptions, priorityStrategy } from "./priority.js";
import { roundRobinStrategy } from "./round-robin.js";

/** Options of the four built-in strategies, by strategy. */
export interface BuiltInStrategyOptions {
  /** Options of the `capability` strategy. */
  readonly capability?: CapabilityStrategyOptions;
  /** Options of the `priority` strategy. */
  readonly priority?: PriorityStrategyOptions;
}

/**
 * Fresh instances of the four built-in strategies: `round-robin`, `least-loaded`,
 * `capability`, `priority`.
 *
 * @param options - per-strategy options
 * @returns the strategies, in that order
 * @throws EchelonError `ECHELON_CONFIG_INVALID` on bad priority options
 */
export function builtInStrategies(options: BuiltInStrategyOptions = {}): DistributionStrategy[] {
  return [
    roundRobinStrategy(),
    leastLoadedStrategy(),
    capabilityStrategy(options.capability),
    priorityStrategy(options.priority),
  ];
}

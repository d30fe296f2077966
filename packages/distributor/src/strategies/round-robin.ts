import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";

/**
 * Round robin: agents take turns in the order the candidates come in (core passes them in
 * spawn order, {@link WorkloadDistributor} in registration order). The strategy remembers the
 * agent it chose last and picks the candidate after it, wrapping around, so a fixed set of agents
 * is served exactly in turn; an agent that is busy for a while (not among the candidates) loses
 * its turn instead of shifting everyone else's.
 *
 * Cost: O(1) when the candidates did not shift since the last call, otherwise one pass of id
 * comparisons; no allocation. Each call of the factory has its own turn state, so two
 * orchestrators never share it.
 *
 * @returns a strategy named `round-robin`
 * @example
 * ```ts
 * new HierarchicalOrchestrator({ plugins: [distributionStrategies()], strategy: "round-robin" });
 * ```
 */
export function roundRobinStrategy(): DistributionStrategy {
  let last: string | null = null;
  let lastIndex = -1;
  return {
    name: "round-robin",
    select(_task: TaskRequest, candidates: readonly AgentLoad[]): number {
      const n = candidates.length;
      let chosen = 0;
      if (last !== null) {
        if (lastIndex < n && candidates[lastIndex]!.agentId === last) {
          chosen = (lastIndex + 1) % n;
        } else {
          let at = -1;
          for (let i = 0; i < n; i++) {
            if (candidates[i]!.agentId === last) {
              at = i;
              break;
            }
          }
          // The last agent is not a candidate now: the one in its place is next.
          chosen = at >= 0 ? (at + 1) % n : lastIndex % n;
        }
      }
      last = candidates[chosen]!.agentId;
      lastIndex = chosen;
      return chosen;
    },
  };
}

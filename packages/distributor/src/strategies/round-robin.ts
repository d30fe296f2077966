import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core";

/**
 * Round robin: agents take turns in the order of their ids. The strategy remembers the id it
 * chose last and picks the candidate with the smallest id after it (wrapping around), so a
 * fixed set of agents is served exactly in turn, and agents that are busy for a while (not
 * among the candidates) simply lose their turn instead of shifting everyone else's.
 *
 * Cost: one pass over the candidates, no allocation. Each call of the factory has its own
 * turn state, so two orchestrators never share it.
 *
 * @returns a strategy named `round-robin`
 * @example
 * ```ts
 * new HierarchicalOrchestrator({ plugins: [distributionStrategies()], strategy: "round-robin" });
 * ```
 */
export function roundRobinStrategy(): DistributionStrategy {
  let last: string | null = null;
  return {
    name: "round-robin",
    select(_task: TaskRequest, candidates: readonly AgentLoad[]): number {
      let next = -1;
      let nextId = "";
      let lowest = 0;
      let lowestId = candidates[0]!.agentId;
      for (let i = 0; i < candidates.length; i++) {
        const id = candidates[i]!.agentId;
        if (id < lowestId) {
          lowest = i;
          lowestId = id;
        }
        if (last !== null && id > last && (next < 0 || id < nextId)) {
          next = i;
          nextId = id;
        }
      }
      const chosen = next >= 0 ? next : lowest;
      last = candidates[chosen]!.agentId;
      return chosen;
    },
  };
}

import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core";
import { compareLoad } from "./load.js";

/**
 * Least loaded: the candidate with the lowest in-flight / capacity ratio; ties go to the one
 * with fewer tasks in flight, then to the one that completed fewer tasks, then to the first.
 * On uniform work this keeps the spread of load between agents within one task.
 *
 * Cost: one pass over the candidates, no allocation; stops early on an idle agent that has
 * completed nothing.
 *
 * @returns a strategy named `least-loaded`
 */
export function leastLoadedStrategy(): DistributionStrategy {
  return {
    name: "least-loaded",
    select(_task: TaskRequest, candidates: readonly AgentLoad[]): number {
      let best = 0;
      for (let i = 1; i < candidates.length; i++) {
        const current = candidates[best]!;
        if (current.inFlight === 0 && current.completed === 0) break;
        if (compareLoad(candidates[i]!, current) < 0) best = i;
      }
      return best;
    },
  };
}

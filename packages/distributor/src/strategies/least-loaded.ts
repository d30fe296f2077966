import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";
import { lessLoaded, loadRatio } from "./load.js";

/**
 * Least loaded: the candidate with the lowest in-flight / capacity ratio; ties go to the one
 * with fewer tasks in flight, then to the one that completed fewer tasks, then to the first.
 * On uniform work this keeps the spread of load between agents within one task.
 *
 * Cost: one pass over the candidates, no allocation; stops early at an idle agent that has
 * completed nothing (nothing can beat it).
 *
 * @returns a strategy named `least-loaded`
 */
export function leastLoadedStrategy(): DistributionStrategy {
  return {
    name: "least-loaded",
    select(_task: TaskRequest, candidates: readonly AgentLoad[]): number {
      let best = 0;
      let bestCandidate = candidates[0]!;
      let bestRatio = loadRatio(bestCandidate);
      for (let i = 1; i < candidates.length; i++) {
        if (bestCandidate.inFlight === 0 && bestCandidate.completed === 0) break;
        const candidate = candidates[i]!;
        const ratio = loadRatio(candidate);
        if (lessLoaded(candidate, ratio, bestCandidate, bestRatio)) {
          best = i;
          bestCandidate = candidate;
          bestRatio = ratio;
        }
      }
      return best;
    },
  };
}

import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";
import { lessLoaded, loadRatio } from "./load.js";

/** Options of {@link capabilityStrategy}. */
export interface CapabilityStrategyOptions {
  /**
   * How good each agent type is at each capability, by agent type name then capability,
   * typically in 0..1. A capability an agent type offers but that is not listed counts as 1.
   * Example: `{ "function:senior": { coding: 1, review: 0.9 }, "function:junior": { coding: 0.6 } }`.
   */
  readonly proficiency?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Capability based: every candidate already offers the task's required capabilities (core and
 * {@link WorkloadDistributor} filter them), so this strategy picks the best *fit*:
 *
 * 1. the highest proficiency score — the sum, over the required capabilities, of the agent
 *    type's proficiency (`options.proficiency`, 1 when not listed);
 * 2. then the fewest surplus capabilities (a specialist before a generalist, keeping the
 *    generalists free for work only they can do);
 * 3. then the least loaded (in flight / capacity, then in flight, then completed);
 * 4. then the first candidate.
 *
 * Cost: one pass over the candidates with one map lookup per required capability; no allocation.
 *
 * @param options - proficiency table
 * @returns a strategy named `capability`
 * @example
 * ```ts
 * capabilityStrategy({ proficiency: { "function:gpu": { ml: 1 }, "function:cpu": { ml: 0.3 } } });
 * ```
 */
export function capabilityStrategy(options: CapabilityStrategyOptions = {}): DistributionStrategy {
  const table = new Map<string, Map<string, number>>();
  for (const [type, byCapability] of Object.entries(options.proficiency ?? {})) {
    const inner = new Map<string, number>();
    for (const [capability, value] of Object.entries(byCapability)) {
      if (Number.isFinite(value)) inner.set(capability, value);
    }
    table.set(type, inner);
  }

  const score = (task: TaskRequest, candidate: AgentLoad): number => {
    const required = task.capabilities;
    const byCapability = table.get(candidate.agentType);
    if (byCapability === undefined) return required.length;
    let total = 0;
    for (let i = 0; i < required.length; i++) total += byCapability.get(required[i]!) ?? 1;
    return total;
  };

  return {
    name: "capability",
    select(task: TaskRequest, candidates: readonly AgentLoad[]): number {
      const scored = table.size > 0;
      let best = 0;
      let bestCandidate = candidates[0]!;
      let bestScore = scored ? score(task, bestCandidate) : 0;
      let bestSurplus = bestCandidate.capabilities.length;
      let bestRatio = loadRatio(bestCandidate);
      for (let i = 1; i < candidates.length; i++) {
        const candidate = candidates[i]!;
        const s = scored ? score(task, candidate) : 0;
        if (s < bestScore) continue;
        const surplus = candidate.capabilities.length;
        if (s === bestScore && surplus > bestSurplus) continue;
        const ratio = loadRatio(candidate);
        const tie = s === bestScore && surplus === bestSurplus;
        if (tie && !lessLoaded(candidate, ratio, bestCandidate, bestRatio)) continue;
        best = i;
        bestCandidate = candidate;
        bestScore = s;
        bestSurplus = surplus;
        bestRatio = ratio;
      }
      return best;
    },
  };
}

import { COMPLEXITIES, type Complexity, CoreErrorCode, EchelonError } from "@echelon/core";
import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";
import { lessLoaded, loadRatio } from "./load.js";

/** Options of {@link priorityStrategy}. */
export interface PriorityStrategyOptions {
  /**
   * Waiting time that is worth one priority point, in milliseconds. A task's effective
   * priority is `priority + waitedMs / agingMs`, so a waiting task eventually outranks any
   * fixed priority and never starves. Default 1,000.
   */
  readonly agingMs?: number;
  /** Tasks with at least this priority are important. Default 1. */
  readonly importantPriority?: number;
  /**
   * Tasks whose `metadata.complexity` is at least this complexity are important too.
   * Default `"moderate"`.
   */
  readonly importantComplexity?: Complexity;
  /**
   * How capable each agent type is, by agent type name (higher = more capable). Types not
   * listed rank by how many capabilities they offer.
   */
  readonly rank?: Readonly<Record<string, number>>;
}

/**
 * Priority based: important work (high priority, or complex according to the node's
 * `metadata.complexity`) goes to the most capable free agent, ordinary work to the least
 * capable one, so the strong agents stay free for the work that needs them. Capability is
 * `options.rank[agentType]`, else the number of capabilities offered; ties go to the least
 * loaded, then to the first.
 *
 * It also orders the queue: `nextWaiting` serves the task with the highest effective
 * priority `priority + waitedMs / agingMs` (oldest first on ties), so low-priority work ages
 * into service under any steady stream of high-priority work.
 *
 * Cost: one pass over the candidates (or the waiting tasks); no allocation.
 *
 * @param options - aging and importance thresholds
 * @returns a strategy named `priority`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when `agingMs` is not a positive finite number
 *   or `importantComplexity` is not a complexity
 * @example
 * ```ts
 * priorityStrategy({ agingMs: 500, rank: { "llm:large": 10, "llm:small": 1 } });
 * ```
 */
export function priorityStrategy(options: PriorityStrategyOptions = {}): DistributionStrategy {
  const agingMs = options.agingMs ?? 1000;
  if (!(typeof agingMs === "number" && Number.isFinite(agingMs) && agingMs > 0)) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `priorityStrategy: agingMs must be a positive number of milliseconds, got ${String(agingMs)}.`,
      { details: { option: "agingMs", value: String(agingMs) } },
    );
  }
  const importantPriority = options.importantPriority ?? 1;
  const threshold = COMPLEXITIES.indexOf(options.importantComplexity ?? "moderate");
  if (threshold < 0) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `priorityStrategy: importantComplexity must be one of ${COMPLEXITIES.join(", ")}.`,
      { details: { option: "importantComplexity", value: String(options.importantComplexity) } },
    );
  }
  const ranks = new Map<string, number>(Object.entries(options.rank ?? {}));
  const rankOf = (c: AgentLoad): number =>
    ranks.size === 0 ? c.capabilities.length : (ranks.get(c.agentType) ?? c.capabilities.length);

  const isImportant = (task: TaskRequest): boolean => {
    if (task.priority >= importantPriority) return true;
    const complexity = task.metadata.complexity;
    return typeof complexity === "string" && COMPLEXITIES.indexOf(complexity as Complexity) >= threshold;
  };

  return {
    name: "priority",
    select(task: TaskRequest, candidates: readonly AgentLoad[]): number {
      const sign = isImportant(task) ? 1 : -1;
      let best = 0;
      let bestCandidate = candidates[0]!;
      let bestRank = sign * rankOf(bestCandidate);
      let bestRatio = loadRatio(bestCandidate);
      for (let i = 1; i < candidates.length; i++) {
        const candidate = candidates[i]!;
        const rank = sign * rankOf(candidate);
        if (rank < bestRank) continue;
        const ratio = loadRatio(candidate);
        if (rank === bestRank && !lessLoaded(candidate, ratio, bestCandidate, bestRatio)) continue;
        best = i;
        bestCandidate = candidate;
        bestRank = rank;
        bestRatio = ratio;
      }
      return best;
    },
    nextWaiting(waiting: readonly TaskRequest[], now: number): number {
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < waiting.length; i++) {
        const task = waiting[i]!;
        const score = effectivePriority(task, now, agingMs);
        if (score > bestScore) {
          best = i;
          bestScore = score;
        }
      }
      return best;
    },
  };
}

/**
 * Effective priority of a waiting task under aging: `priority + waitedMs / agingMs`.
 *
 * @param task - the waiting task
 * @param now - monotonic time, milliseconds
 * @param agingMs - waiting time worth one priority point
 * @returns the effective priority
 */
export function effectivePriority(task: TaskRequest, now: number, agingMs: number): number {
  return task.priority + (now - task.enqueuedAt) / agingMs;
}

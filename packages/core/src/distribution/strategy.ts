/** What a strategy knows of one candidate agent at the moment of choice. */
export interface AgentLoad {
  /** Agent id. */
  readonly agentId: string;
  /** Agent type name. */
  readonly agentType: string;
  /** Level name. */
  readonly level: string;
  /** Capabilities offered. */
  readonly capabilities: readonly string[];
  /** Tasks in flight now. */
  readonly inFlight: number;
  /** Tasks it can run at once. */
  readonly capacity: number;
  /** Tasks it finished so far. */
  readonly completed: number;
  /** Milliseconds it spent busy so far. */
  readonly busyMs: number;
}

/** What a strategy knows of the task to place. */
export interface TaskRequest {
  /** Orchestration (or `PatternExecutor` run) the task belongs to. */
  readonly orchestrationId: string;
  /** Id of the plan node. */
  readonly taskId: string;
  /** Path of the task (with `#key` for an invocation, `:compensate` for a compensation). */
  readonly nodePath: string;
  /** Level the task runs at. */
  readonly level: string;
  /** Capabilities the task requires (every candidate offers them). */
  readonly capabilities: readonly string[];
  /** Priority; higher is more urgent. */
  readonly priority: number;
  /** Monotonic time the task started waiting, milliseconds. */
  readonly enqueuedAt: number;
  /** Node metadata (complexity hints and the like). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * Chooses an agent for a task, registered by a plugin under `DISTRIBUTION_STRATEGY`.
 * Core filters candidates (they offer every required capability and have a free slot)
 * and spawns new agents lazily; the strategy only chooses among the candidates and,
 * optionally, which waiting task is served next.
 */
export interface DistributionStrategy {
  /** Name used in options (`round-robin`, `least-loaded`, `capability`, `priority`). */
  readonly name: string;
  /**
   * Picks one of `candidates` (never empty) for `task`.
   *
   * @returns the index of the chosen candidate
   */
  select(task: TaskRequest, candidates: readonly AgentLoad[]): number;
  /**
   * Picks which waiting task gets the next free slot (default: the first, i.e. FIFO).
   *
   * @param waiting - tasks waiting at one level, oldest first (never empty)
   * @param now - monotonic time, milliseconds
   * @returns the index of the task to serve
   */
  nextWaiting?(waiting: readonly TaskRequest[], now: number): number;
}

/**
 * Core's fallback strategy when no distribution plugin is installed: the candidate with the
 * lowest in-flight / capacity ratio, first one on ties.
 */
export const fallbackLeastLoaded: DistributionStrategy = {
  name: "core:least-loaded",
  select(_task, candidates) {
    let best = 0;
    let bestRatio = Number.POSITIVE_INFINITY;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i]!;
      const ratio = c.inFlight / c.capacity;
      if (ratio < bestRatio) {
        bestRatio = ratio;
        best = i;
        if (ratio === 0) break;
      }
    }
    return best;
  },
};

import type { EchelonErrorJson } from "../errors/echelon-error.js";

/** Lifecycle state of an orchestration. */
export type OrchestrationState = "pending" | "running" | "paused" | "completed" | "failed" | "cancelled";

/** Lifecycle state of one plan node (task). */
export type NodeState =
  | "pending"
  | "waiting"
  | "running"
  | "completed"
  | "failed"
  | "cancelled"
  | "compensated"
  | "skipped";

/** Measured figures of one orchestration. All times are from the monotonic clock. */
export interface OrchestrationMetrics {
  /** Wall time of the orchestration in milliseconds. */
  readonly wallMs: number;
  /** Best makespan possible for the agent work observed (see `computeLowerBound`). */
  readonly lowerBoundMs: number;
  /** Length of the critical path of measured busy spans along the plan's ordering. */
  readonly criticalPathMs: number;
  /** Sum of every leaf agent's busy time, all attempts included. */
  readonly totalBusyMs: number;
  /** Leaf slots available (live-agent caps × capacity of the agents that ran leaves). */
  readonly leafSlots: number;
  /** Highest number of leaves running at once in this orchestration. */
  readonly peakConcurrency: number;
}

/** The outcome of {@link HierarchicalOrchestrator.orchestrateComplexTask}. All figures are measured. */
export interface OrchestrationResult {
  /** Id of the task (root node id). */
  readonly taskId: string;
  /** Id of this orchestration. */
  readonly orchestrationId: string;
  /** True when the root node completed. */
  readonly success: boolean;
  /** Final state. */
  readonly state: OrchestrationState;
  /** The root node's output (JSON), or `null` on failure. */
  readonly result: unknown;
  /** Wall time in seconds. */
  readonly executionTime: number;
  /** Distinct agents that executed or coordinated at least one node. */
  readonly agentsUsed: number;
  /** Number of levels the executed plan spans (root only = 1). */
  readonly levelsDeep: number;
  /** `100 × (wall − lowerBound) / wall`, in percent; see `computeCoordinationOverhead`. */
  readonly coordinationOverhead: number;
  /** The failure message when `success` is false. */
  readonly errorMessage: string | null;
  /** The failure, coded, when `success` is false. */
  readonly error: EchelonErrorJson | null;
  /** Facts about the run. */
  readonly metadata: OrchestrationResultMetadata;
}

/** The `metadata` of an {@link OrchestrationResult}. */
export interface OrchestrationResultMetadata {
  /** Patterns that ran, each once, in the order first seen. */
  readonly patternsUsed: readonly string[];
  /** Task counts: every plan node and every extra invocation. */
  readonly totalTasks: number;
  /** Of `totalTasks`, how many were added while the run went on (expansions); 0 for a plan that did not grow. */
  readonly expandedTasks: number;
  /** Tasks that completed (compensated ones are counted under `compensatedTasks` instead). */
  readonly completedTasks: number;
  /** Tasks that failed for good. */
  readonly failedTasks: number;
  /** Tasks stopped by a cancel, and, for a cancelled run, every task left unfinished. */
  readonly cancelledTasks: number;
  /** Completed tasks undone by their compensation. */
  readonly compensatedTasks: number;
  /** Tasks a pattern chose not to run, and, for a completed or failed run, tasks that never started. */
  readonly skippedTasks: number;
  /** Retries performed across all tasks. */
  readonly retries: number;
  /** Where the plan came from (`spec`, `heuristic`, …). */
  readonly planSource: string;
  /** Measured figures behind `coordinationOverhead`. */
  readonly metrics: OrchestrationMetrics;
  /** Extra facts contributed by plugins (token usage, …). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Status of one orchestration, as returned by `getOrchestrationStatus`. The task counts
 * (pending, running, completed, failed, cancelled, skipped, compensated) always sum to
 * `totalTasks`.
 */
export interface OrchestrationStatus {
  /** Id of the orchestration. */
  readonly orchestrationId: string;
  /** Id of the task (the plan's root node id); `""` before the plan is known. */
  readonly taskId: string;
  /** Lifecycle state now. */
  readonly state: OrchestrationState;
  /** Every task: plan nodes, invocations (`path#key`) and compensations. Grows as invocations appear. */
  readonly totalTasks: number;
  /** Tasks not started yet (including those waiting for an agent slot). */
  readonly pendingTasks: number;
  /** Tasks running now (leaves on an agent, composites whose pattern runs). */
  readonly runningTasks: number;
  /** Tasks that completed. */
  readonly completedTasks: number;
  /** Tasks that failed for good (retries used up). */
  readonly failedTasks: number;
  /** Tasks stopped by a cancel, and tasks that never ran because the run was cancelled. */
  readonly cancelledTasks: number;
  /** Tasks a pattern decided not to run, and tasks that never ran because the run ended otherwise. */
  readonly skippedTasks: number;
  /** Completed tasks that were undone by their compensation. */
  readonly compensatedTasks: number;
  /**
   * Tasks added while the run went on, by nodes that expand at run time (`expand`): the plan
   * grew by this much, so `totalTasks` grew and `progress` may have fallen back by as much.
   */
  readonly expandedTasks: number;
  /**
   * `100 × (completed + failed + skipped + compensated) / total`, 0–100, while running; frozen
   * by the end: 100 for a completed run, the value reached for a failed or cancelled one.
   */
  readonly progress: number;
  /** Milliseconds since start (until end when finished). */
  readonly elapsedMs: number;
  /** State of every node that has started, by node path. */
  readonly nodes: Readonly<Record<string, NodeStatus>>;
}

/** Status of one plan node. */
export interface NodeStatus {
  /** The node path (ids joined by `/`; `#key` for an invocation, `:compensate` for a compensation). */
  readonly path: string;
  /** Current state. */
  readonly state: NodeState;
  /** Agent that ran (or coordinates) the node, if any. */
  readonly agentId: string | null;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Monotonic time of the first start, milliseconds. */
  readonly startedAt: number | null;
  /** Monotonic time of the end, milliseconds; `null` while not ended. */
  readonly endedAt: number | null;
  /** Error code when failed or cancelled. */
  readonly errorCode: string | null;
}

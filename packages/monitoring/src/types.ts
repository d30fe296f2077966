import type { NodeState, OrchestrationMetrics, OrchestrationState, OrchestrationStatus } from "@echelon/core";

/** One node of the monitored plan tree, with its live status. */
export interface MonitoredNode {
  /** Node path (ids joined by `/`). */
  readonly path: string;
  /** Node id. */
  readonly id: string;
  /** Task description (plain text; never interpret it as HTML). */
  readonly description: string;
  /** Depth in the tree; root = 0. */
  readonly depth: number;
  /** Pattern coordinating the children, `null` for a leaf. */
  readonly pattern: string | null;
  /** Current state. */
  readonly state: NodeState;
  /** Agent that runs (or coordinates) the node. */
  readonly agentId: string | null;
  /** Attempts started so far. */
  readonly attempts: number;
  /** Monotonic start and end, milliseconds. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** Error code when failed or cancelled. */
  readonly errorCode: string | null;
  /** Children in plan order. */
  readonly children: readonly MonitoredNode[];
}

/** `getOrchestrationStatus` enriched by the monitor. */
export interface EnrichedOrchestrationStatus extends OrchestrationStatus {
  /** Patterns running right now (one entry per running composite node, by path). */
  readonly currentPatterns: readonly { readonly path: string; readonly pattern: string }[];
  /** Estimated milliseconds to completion from the observed rate; `null` before any task finished, 0 once ended. */
  readonly etaMs: number | null;
  /** Tasks waiting for an agent. */
  readonly queueDepth: number;
  /** Leaf tasks completed per second so far. */
  readonly throughputPerSec: number;
  /** Retries so far. */
  readonly retries: number;
  /** Compensations so far. */
  readonly compensations: number;
  /** Busy milliseconds of finished leaf and compensation attempts so far, by level and by agent. */
  readonly busyMsByLevel: Readonly<Record<string, number>>;
  readonly busyMsByAgent: Readonly<Record<string, number>>;
  /** The whole plan tree with every node's status (pending ones included); `null` before the plan is known. */
  readonly tree: MonitoredNode | null;
}

/** One finished orchestration, as kept in the bounded history. All figures are measured. */
export interface ExecutionRecord {
  readonly orchestrationId: string;
  readonly taskId: string;
  readonly state: OrchestrationState;
  readonly success: boolean;
  readonly startedAtEpochMs: number;
  /** Monotonic end timestamp. */
  readonly endedAt: number;
  /** Coordination overhead in percent, exactly as the result reports it. */
  readonly coordinationOverhead: number;
  /** The result's measured figures (wall, lower bound, critical path, busy, slots, peak). */
  readonly metrics: OrchestrationMetrics;
  /** `totalBusyMs / (wallMs × leafSlots)`, 0..1, from the result's figures; `null` when undefined. */
  readonly utilisation: number | null;
  /** Leaf tasks completed per second of wall time. */
  readonly throughputPerSec: number;
  /**
   * Busy milliseconds of this orchestration's leaf and compensation attempts, by level, from
   * event spans (`task:started` → end), so slightly above core's `metrics.totalBusyMs`, which
   * times the agent call itself.
   */
  readonly busyMsByLevel: Readonly<Record<string, number>>;
  /** The same by agent id (divide by wall × the agent's capacity for its share of that agent). */
  readonly busyMsByAgent: Readonly<Record<string, number>>;
  readonly totalTasks: number;
  readonly completedTasks: number;
  readonly failedTasks: number;
  readonly cancelledTasks: number;
  readonly compensatedTasks: number;
  readonly retries: number;
  readonly agentsUsed: number;
  readonly patternsUsed: readonly string[];
  readonly errorCode: string | null;
}

/** Utilisation of one agent. */
export interface AgentUtilisation {
  readonly agentId: string;
  readonly agentType: string;
  readonly level: string;
  /** Tasks the agent runs at once (from the hierarchy; 1 when unknown). */
  readonly capacity: number;
  /** Busy time, all spans, milliseconds. */
  readonly busyMs: number;
  /** Milliseconds the agent has been observed alive. */
  readonly wallMs: number;
  /** `busyMs / (wallMs × capacity)`, 0..1. */
  readonly utilisation: number;
  /** Spans that ended (attempts finished). */
  readonly tasks: number;
  /** Spans running now. */
  readonly running: number;
  /** True once the agent retired. */
  readonly retired: boolean;
}

/** Utilisation of one level. */
export interface LevelUtilisation {
  readonly level: string;
  /** Live agents at the level. */
  readonly agents: number;
  /** Σ capacity of live agents. */
  readonly capacity: number;
  readonly busyMs: number;
  /** `busyMs / Σ(agent wall × capacity)`, 0..1, since the monitor started. */
  readonly utilisation: number;
  /** The same over the rolling window only. */
  readonly windowUtilisation: number;
}

/** Performance of one pattern since the monitor started. */
export interface PatternStats {
  readonly pattern: string;
  readonly executions: number;
  readonly completed: number;
  readonly partial: number;
  readonly failed: number;
  /** `(completed + partial) / (completed + partial + failed)`, 0..1; `null` before one ended. */
  readonly successRate: number | null;
  /** Median and 95th percentile duration (ms) over the most recent samples. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

/** Figures over the rolling window (`windowMs`). */
export interface RollingMetrics {
  readonly windowMs: number;
  /** Leaf tasks completed per second over the window. */
  readonly throughputPerSec: number;
  readonly tasksCompleted: number;
  readonly tasksFailed: number;
  readonly retries: number;
  readonly compensations: number;
  readonly orchestrationsFinished: number;
  /** Mean coordination overhead (percent) of orchestrations finished in the window; `null` for none. */
  readonly meanCoordinationOverhead: number | null;
}

/** One time bucket of the trends. */
export interface TrendPoint {
  /** Monotonic start of the bucket, milliseconds. */
  readonly start: number;
  /** Bucket length, milliseconds. */
  readonly durationMs: number;
  readonly tasksCompleted: number;
  readonly tasksFailed: number;
  readonly throughputPerSec: number;
  readonly retries: number;
  readonly compensations: number;
  readonly orchestrationsFinished: number;
  readonly meanCoordinationOverhead: number | null;
  /** Highest queue depth seen in the bucket. */
  readonly maxQueueDepth: number;
  /** Busy milliseconds per level within the bucket. */
  readonly busyMsByLevel: Readonly<Record<string, number>>;
}

/** A summary row of one orchestration. */
export interface OrchestrationSummary {
  readonly orchestrationId: string;
  readonly taskId: string;
  readonly state: OrchestrationState;
  readonly progress: number;
  readonly elapsedMs: number;
  readonly totalTasks: number;
  readonly startedAtEpochMs: number;
}

/** Everything the monitor knows, at one instant. JSON-serialisable. */
export interface MonitorSnapshot {
  /** Monotonic time of the snapshot. */
  readonly at: number;
  readonly orchestrations: readonly OrchestrationSummary[];
  readonly queueDepth: number;
  readonly rolling: RollingMetrics;
  readonly agents: readonly AgentUtilisation[];
  readonly levels: readonly LevelUtilisation[];
  readonly patterns: readonly PatternStats[];
  readonly totals: {
    readonly orchestrations: number;
    readonly tasksCompleted: number;
    readonly tasksFailed: number;
    readonly retries: number;
    readonly compensations: number;
  };
}

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
  /** Monotonic time of the first start, milliseconds. */
  readonly startedAt: number | null;
  /** Monotonic time of the end, milliseconds; `null` while not ended. */
  readonly endedAt: number | null;
  /** Error code when failed or cancelled. */
  readonly errorCode: string | null;
  /** Children in plan order. */
  readonly children: readonly MonitoredNode[];
}

/** `getOrchestrationStatus` enriched by the monitor. */
export interface EnrichedOrchestrationStatus extends OrchestrationStatus {
  /** Patterns running right now (one entry per running composite node, by path). */
  readonly currentPatterns: readonly {
    /** Path of the composite node. */
    readonly path: string;
    /** Name of the pattern coordinating its children. */
    readonly pattern: string;
  }[];
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
  /** Busy milliseconds of finished leaf and compensation attempts so far, by level name. */
  readonly busyMsByLevel: Readonly<Record<string, number>>;
  /** The same by agent id. */
  readonly busyMsByAgent: Readonly<Record<string, number>>;
  /** The whole plan tree with every node's status (pending ones included); `null` before the plan is known. */
  readonly tree: MonitoredNode | null;
}

/** One finished orchestration, as kept in the bounded history. All figures are measured. */
export interface ExecutionRecord {
  /** Id of the orchestration. */
  readonly orchestrationId: string;
  /** Id of its task (the plan's root node id). */
  readonly taskId: string;
  /** Final state: `completed`, `failed` or `cancelled`. */
  readonly state: OrchestrationState;
  /** True when the root node completed (the result's `success`). */
  readonly success: boolean;
  /** Wall-clock start, epoch milliseconds (from `orchestration:started`; the time of recording when the monitor never saw the start). */
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
  /** Every task of the run (plan nodes, invocations, compensations), as the result counts them. */
  readonly totalTasks: number;
  /** Tasks that completed. */
  readonly completedTasks: number;
  /** Tasks that failed for good. */
  readonly failedTasks: number;
  /** Tasks cancelled (and, for a cancelled run, every task left unfinished). */
  readonly cancelledTasks: number;
  /** Completed tasks undone by their compensation. */
  readonly compensatedTasks: number;
  /** Retries across all tasks. */
  readonly retries: number;
  /** Distinct agents that ran or coordinated at least one node. */
  readonly agentsUsed: number;
  /** Patterns that ran, each once, in the order first seen. */
  readonly patternsUsed: readonly string[];
  /** Code of the run's failure, `null` on success. */
  readonly errorCode: string | null;
}

/** Utilisation of one agent. */
export interface AgentUtilisation {
  /** Agent id. */
  readonly agentId: string;
  /** Name of its agent type. */
  readonly agentType: string;
  /** Name of its level. */
  readonly level: string;
  /** Tasks the agent runs at once (from the hierarchy; 1 when unknown). */
  readonly capacity: number;
  /** Busy time, all spans (leaf and compensation attempts, composites it coordinated), open ones up to now, milliseconds. */
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
  /** Level name. */
  readonly level: string;
  /** Live agents at the level. */
  readonly agents: number;
  /** Σ capacity of live agents. */
  readonly capacity: number;
  /** Busy time of every agent ever seen at the level, open spans up to now, milliseconds. */
  readonly busyMs: number;
  /** `busyMs / Σ(agent wall × capacity)`, 0..1, since the monitor started. */
  readonly utilisation: number;
  /** The same over the rolling window only. */
  readonly windowUtilisation: number;
}

/** Performance of one pattern since the monitor started. */
export interface PatternStats {
  /** Pattern name. */
  readonly pattern: string;
  /** Executions started (`pattern:started`), running ones included. */
  readonly executions: number;
  /** Executions that returned with status `completed`. */
  readonly completed: number;
  /** Executions that returned with status `partial`. */
  readonly partial: number;
  /** Executions that threw (`pattern:failed`), cancellations included. */
  readonly failed: number;
  /** `(completed + partial) / (completed + partial + failed)`, 0..1; `null` before one ended. */
  readonly successRate: number | null;
  /** Median duration of ended executions over the most recent samples (`durationSamples`), milliseconds; `null` before one ended. */
  readonly p50Ms: number | null;
  /** 95th percentile of the same samples, milliseconds; `null` before one ended. */
  readonly p95Ms: number | null;
}

/** Figures over the rolling window (`windowMs`). */
export interface RollingMetrics {
  /** Length of the window, milliseconds (the monitor's `windowMs`, default 60,000). */
  readonly windowMs: number;
  /** Leaf tasks completed per second over the window. */
  readonly throughputPerSec: number;
  /** Leaf tasks completed in the window. */
  readonly tasksCompleted: number;
  /** Leaf tasks that failed for good in the window. */
  readonly tasksFailed: number;
  /** Retries in the window, all task kinds. */
  readonly retries: number;
  /** Compensations (`task:compensated`) in the window. */
  readonly compensations: number;
  /** Orchestrations that reached a terminal event in the window. */
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
  /** Leaf tasks completed in the bucket. */
  readonly tasksCompleted: number;
  /** Leaf tasks that failed for good in the bucket. */
  readonly tasksFailed: number;
  /** Leaf tasks completed per second of the bucket. */
  readonly throughputPerSec: number;
  /** Retries in the bucket. */
  readonly retries: number;
  /** Compensations in the bucket. */
  readonly compensations: number;
  /** Orchestrations that finished in the bucket. */
  readonly orchestrationsFinished: number;
  /** Mean coordination overhead (percent) of those orchestrations; `null` for none. */
  readonly meanCoordinationOverhead: number | null;
  /** Highest queue depth seen in the bucket. */
  readonly maxQueueDepth: number;
  /** Busy milliseconds per level within the bucket. */
  readonly busyMsByLevel: Readonly<Record<string, number>>;
}

/** A summary row of one orchestration. */
export interface OrchestrationSummary {
  /** Id of the orchestration. */
  readonly orchestrationId: string;
  /** Id of its task (the plan's root node id); `""` before the monitor saw the plan. */
  readonly taskId: string;
  /** Lifecycle state now. */
  readonly state: OrchestrationState;
  /** Percent of tasks ended, 0–100, as in `OrchestrationStatus.progress`. */
  readonly progress: number;
  /** Milliseconds since start (until the end, once finished). */
  readonly elapsedMs: number;
  /** Every task counted so far (grows as invocations appear). */
  readonly totalTasks: number;
  /** Wall-clock start, epoch milliseconds. */
  readonly startedAtEpochMs: number;
}

/** Everything the monitor knows, at one instant. JSON-serialisable. */
export interface MonitorSnapshot {
  /** Monotonic time of the snapshot. */
  readonly at: number;
  /** Every orchestration the monitor tracks: running ones and the newest `historySize` finished ones. */
  readonly orchestrations: readonly OrchestrationSummary[];
  /** Tasks waiting for an agent slot now, across tracked orchestrations. */
  readonly queueDepth: number;
  /** Figures over the rolling window. */
  readonly rolling: RollingMetrics;
  /** Every agent seen, retired ones included. */
  readonly agents: readonly AgentUtilisation[];
  /** One entry per level that had an agent. */
  readonly levels: readonly LevelUtilisation[];
  /** One entry per pattern seen, by name. */
  readonly patterns: readonly PatternStats[];
  /** Counts since the monitor started. */
  readonly totals: {
    /** Orchestrations seen. */
    readonly orchestrations: number;
    /** Leaf tasks completed. */
    readonly tasksCompleted: number;
    /** Leaf tasks that failed for good. */
    readonly tasksFailed: number;
    /** Retries, all task kinds. */
    readonly retries: number;
    /** Compensations. */
    readonly compensations: number;
  };
}

import type { EchelonErrorJson } from "../errors/echelon-error.js";
import type { TaskKind } from "../events/event-map.js";
import type { NodeState, OrchestrationResult, OrchestrationState } from "../model/result.js";
import type { Plan, PlanNode } from "../model/task.js";

/** How many tasks are in each state. The buckets always sum to the run's `totalTasks`. */
export interface TaskCounts {
  /** Not started yet (`pending` or `waiting` for a slot). */
  pending: number;
  /** Running now (leaves on an agent, composites whose pattern runs). */
  running: number;
  /** Ended with an output. */
  completed: number;
  /** Failed for good (retries used up). */
  failed: number;
  /** Stopped by a cancel, or left unfinished by a cancelled run. */
  cancelled: number;
  /** Not run: a pattern decided so, or the run ended (completed or failed) before they started. */
  skipped: number;
  /** Completed, then undone by their compensation. */
  compensated: number;
}

/** Task counts of one depth of the tree (for per-level progress). */
export interface DepthProgress {
  /** Tasks at this depth (plan nodes, invocations and compensations). */
  total: number;
  /** Tasks that ended by their own event: completed, failed, skipped or compensated. */
  done: number;
  /** Tasks that failed. */
  failed: number;
  /** Tasks cancelled by their own event (a running task aborted). */
  cancelled: number;
}

/** Everything the run state knows of one task (a plan node, an invocation or a compensation). */
export interface TaskRecord {
  /** The task's node path (`root/a`, `root/a#key`, `root/a:compensate`). */
  readonly path: string;
  /** Kind of the task, once it started. */
  kind: TaskKind | null;
  /** Current state. */
  state: NodeState;
  /** Agent of the latest attempt (the coordinator of a composite), once it started. */
  agentId: string | null;
  /** Type name of that agent, once it started. */
  agentType: string | null;
  /** Level name the task ran at, once it started. */
  level: string | null;
  /** Pattern coordinating the task's children (composites), once it started. */
  pattern: string | null;
  /** Attempts started so far. */
  attempts: number;
  /** Monotonic timestamp of the first start, milliseconds. */
  startedAt: number | null;
  /** Monotonic timestamp of the end, milliseconds; `null` while not ended. */
  endedAt: number | null;
  /** Code of the failure or cancellation that ended the task (`ECHELON_CANCELLED` for a cancel). */
  errorCode: string | null;
  /** The failure (or cancellation) that ended the task. */
  error: EchelonErrorJson | null;
  /** Last progress the agent reported, 0..1. */
  progress: number | null;
  /** Agent busy time of all attempts, ms (leaves and compensations; 0 for composites). */
  busyMs: number;
  /** Start of the attempt running now, or `null`. */
  attemptStartedAt: number | null;
  /**
   * True for a plan node that runs only as invocations (`path#key`): its invocations are the
   * tasks, so the node itself is not counted.
   */
  template: boolean;
}

/** What one node's run-time expansion made. */
export interface RunExpansion {
  /** Pattern coordinating the children (`null`: the node became a leaf). */
  readonly pattern: string | null;
  /** That pattern's options. */
  readonly patternOptions: Readonly<Record<string, unknown>>;
  /** The children the expansion made. */
  readonly children: readonly PlanNode[];
}

/** Agent busy time of a run, ms. */
export interface BusyTotals {
  /** All finished attempts of leaves and compensations, milliseconds. */
  totalMs: number;
  /** The same by level name. */
  readonly byLevel: Record<string, number>;
  /** The same by agent id. */
  readonly byAgent: Record<string, number>;
  /**
   * For plan nodes that ran as invocations (`path#key`): the busiest invocation's time and how
   * many invocations were busy, by plan path (for the critical path of the overhead bound).
   */
  readonly invocations: Record<
    string,
    {
      /** Busy time of the busiest invocation, ms. */
      maxMs: number;
      /** Invocations that were busy. */
      count: number;
    }
  >;
}

/**
 * The state of one orchestration, folded from its events by {@link applyRunEvent}. Plain JSON
 * (no class instances, no Maps), so it can be stored, sent and compared. The live status,
 * replay, monitoring, the exporters and the CLI all read this one fold.
 */
export interface RunState {
  /** The run's id. */
  orchestrationId: string;
  /** Id of the task (the plan's root node id); `""` before `orchestration:started`. */
  taskId: string;
  /** Lifecycle state: `pending` until `orchestration:started`, then as events say. */
  state: OrchestrationState;
  /** The plan, from `orchestration:started`. */
  plan: Plan | null;
  /** Level names, primary first. */
  levels: readonly string[];
  /** Monotonic start, milliseconds. */
  startedAt: number | null;
  /** Monotonic end (the terminal event), milliseconds; `null` while running. */
  endedAt: number | null;
  /** Wall-clock start, epoch ms. */
  startedAtEpochMs: number | null;
  /** Every task counted: plan nodes, invocations, compensations, re-runs. */
  totalTasks: number;
  /** Tasks per state; the buckets sum to `totalTasks`. */
  readonly counts: TaskCounts;
  /** Tasks waiting for an agent slot now (part of `counts.pending`). */
  waitingTasks: number;
  /** Leaves (not composites, not compensations) completed so far. */
  completedLeaves: number;
  /** Per depth (root = 0). */
  readonly depths: DepthProgress[];
  /** Retries so far (`task:retrying` events), all tasks together. */
  retries: number;
  /** Patterns that started, each once, in the order first seen. */
  readonly patternsUsed: string[];
  /** Children made at run time, by the path of the node that expanded (`plan:expanded`). */
  readonly expansions: Record<string, RunExpansion>;
  /** Tasks added by expansions so far (the plan grew by this much). */
  expandedTasks: number;
  /** Tasks seen in events, by path. Plan nodes without an event yet are not listed. */
  readonly tasks: Record<string, TaskRecord>;
  /** State of plan nodes that have no record: `pending`, or how the end settled them. */
  unseenState: NodeState;
  /** True once a cancel was requested (`orchestration:cancelling`). */
  cancelling: boolean;
  /** Progress frozen by the terminal event (100 for a completed run), else `null`. */
  finalProgress: number | null;
  /** Agent busy time of finished attempts. */
  readonly busy: BusyTotals;
  /** The final result, from the terminal event. */
  result: OrchestrationResult | null;
  /** Outputs of completed tasks by path, when the fold keeps them (replay), else `null`. */
  outputs: Record<string, unknown> | null;
}

/** Options of {@link createRunState}. */
export interface RunStateOptions {
  /** Keep every completed task's output in `outputs` (replay and resume do). Default false. */
  readonly keepOutputs?: boolean;
}

/** A zeroed set of counts. */
export function emptyCounts(): TaskCounts {
  return { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, skipped: 0, compensated: 0 };
}

/**
 * A run state before any event.
 *
 * @param orchestrationId - the run's id (`""` until `orchestration:started` says)
 * @param options - whether outputs are kept
 */
export function createRunState(orchestrationId = "", options: RunStateOptions = {}): RunState {
  return {
    orchestrationId,
    taskId: "",
    state: "pending",
    plan: null,
    levels: [],
    startedAt: null,
    endedAt: null,
    startedAtEpochMs: null,
    totalTasks: 0,
    counts: emptyCounts(),
    waitingTasks: 0,
    completedLeaves: 0,
    depths: [],
    retries: 0,
    patternsUsed: [],
    expansions: Object.create(null) as Record<string, RunExpansion>,
    expandedTasks: 0,
    tasks: Object.create(null) as Record<string, TaskRecord>,
    unseenState: "pending",
    cancelling: false,
    finalProgress: null,
    busy: {
      totalMs: 0,
      byLevel: Object.create(null),
      byAgent: Object.create(null),
      invocations: Object.create(null),
    },
    result: null,
    outputs: options.keepOutputs === true ? (Object.create(null) as Record<string, unknown>) : null,
  };
}

/** True when an orchestration state is terminal. */
export function isFinalState(state: OrchestrationState): boolean {
  return state === "completed" || state === "failed" || state === "cancelled";
}

/** True when a task state is terminal. */
export function isFinalTaskState(state: NodeState): boolean {
  // Comparisons, not a Set: called for every task event of the fold.
  return (
    state === "completed" ||
    state === "failed" ||
    state === "cancelled" ||
    state === "skipped" ||
    state === "compensated"
  );
}

/** Which {@link TaskCounts} bucket a task state counts in. */
export function bucketOf(state: NodeState): keyof TaskCounts {
  return state === "waiting" ? "pending" : state;
}

/**
 * Progress in percent: tasks that ended (completed, failed, skipped, compensated) over all
 * tasks, while running; frozen by the terminal event (100 only for a completed run).
 */
export function runProgress(state: RunState): number {
  if (state.finalProgress !== null) return state.finalProgress;
  if (state.totalTasks === 0) return 0;
  const c = state.counts;
  return Math.min(100, (100 * (c.completed + c.failed + c.skipped + c.compensated)) / state.totalTasks);
}

import type { EchelonEvent } from "../events/event-map.js";
import type { OrchestrationState } from "../model/result.js";
import type { Plan, PlanNode } from "../model/task.js";
import {
  createRunState,
  isFinalState,
  isFinalTaskState,
  type RunState,
  type RunStateOptions,
  runProgress,
  type TaskCounts,
} from "./run-state.js";
import { NodePath } from "./node-path.js";
import { closeAttempt, depthAt, end, move, touch } from "./task-records.js";

const CANCELLED = "ECHELON_CANCELLED";

/**
 * Applies one event to a run state **in place** and returns it: the one fold behind the live
 * status, replay, resume, monitoring, the exporters and the CLI.
 *
 * Deterministic: the result depends only on the state and the event (no clock, no I/O), so
 * folding a journal rebuilds exactly what was observed live. In place so a 100,000-task run
 * costs O(1) per event; {@link reduceRunState} is the copying form.
 *
 * Rules:
 * - plan nodes are counted from `orchestration:started`; an invocation (`path#key`), a
 *   compensation or a re-run of a finished task adds one task when first seen; a plan node
 *   that runs only as invocations is a *template* and not counted itself;
 * - the terminal event freezes progress and settles what is left: on `orchestration:cancelled`
 *   every unfinished task counts as `cancelled`; on `completed` or `failed`, tasks that never
 *   started count as `skipped` and running ones (stragglers stopped by the end) as `cancelled`;
 * - events of a run after its terminal event change nothing.
 *
 * @param state - the state to update (owned by the caller)
 * @param event - the next event of this orchestration
 * @returns `state`
 */
export function applyRunEvent(state: RunState, event: EchelonEvent): RunState {
  if (isFinalState(state.state) && event.type !== "orchestration:started") return state;
  switch (event.type) {
    case "orchestration:started":
      start(state, event);
      return state;
    case "orchestration:completed":
    case "orchestration:failed":
    case "orchestration:cancelled":
      finish(state, event.result.state, event.ts);
      state.result = event.result;
      return state;
    case "orchestration:cancelling":
      state.cancelling = true;
      return state;
    case "orchestration:recovered":
      recover(state);
      return state;
    case "orchestration:paused":
      if (state.state === "running") state.state = "paused";
      return state;
    case "orchestration:resumed":
      if (state.state === "paused") state.state = "running";
      return state;
    case "task:queued": {
      const task = touch(state, event.nodePath, true);
      if (task.state === "pending") move(state, task, "waiting");
      return state;
    }
    case "task:started": {
      const task = touch(state, event.nodePath, true);
      move(state, task, "running");
      task.kind = event.kind;
      task.agentId = event.agentId;
      task.agentType = event.agentType;
      task.level = event.level;
      task.pattern = event.pattern;
      task.attempts = event.attempt;
      task.startedAt ??= event.ts;
      task.attemptStartedAt = event.kind === "composite" ? null : event.ts;
      return state;
    }
    case "task:progressed": {
      const task = state.tasks[event.nodePath];
      if (task !== undefined) task.progress = event.progress;
      return state;
    }
    case "task:retrying": {
      const task = touch(state, event.nodePath, false);
      closeAttempt(state, task, event.ts);
      state.retries++;
      if (task.state === "running") move(state, task, "waiting");
      return state;
    }
    case "task:completed": {
      const task = end(state, event.nodePath, "completed", event.ts, event.kind);
      task.agentId = event.agentId;
      if (event.kind === "leaf") state.completedLeaves++;
      if (state.outputs !== null) state.outputs[event.nodePath] = event.output;
      return state;
    }
    case "task:failed": {
      const task = end(state, event.nodePath, "failed", event.ts, event.kind);
      task.errorCode = event.error.code;
      task.error = event.error;
      return state;
    }
    case "task:cancelled": {
      const task = end(state, event.nodePath, "cancelled", event.ts, event.kind);
      task.errorCode = CANCELLED;
      task.error = { name: "EchelonError", code: CANCELLED, message: event.reason };
      return state;
    }
    case "task:skipped": {
      const task = touch(state, event.nodePath, false);
      if (isFinalTaskState(task.state)) return state;
      end(state, event.nodePath, "skipped", event.ts, null);
      return state;
    }
    case "task:compensated": {
      const task = touch(state, event.nodePath, false);
      move(state, task, "compensated");
      task.endedAt = event.ts;
      return state;
    }
    case "pattern:started":
      if (!state.patternsUsed.includes(event.pattern)) state.patternsUsed.push(event.pattern);
      return state;
    case "plan:expanded":
      expand(state, event);
      return state;
    default:
      return state;
  }
}

/**
 * The copying form of {@link applyRunEvent}: returns a new state and leaves `state` untouched
 * (O(size of the state) per call; for tests and tools, not for hot paths).
 */
export function reduceRunState(state: RunState, event: EchelonEvent): RunState {
  return applyRunEvent(structuredClone(state), event);
}

/**
 * Folds a journal into a fresh state.
 *
 * @param events - one orchestration's events, in order
 * @param options - keep outputs (replay)
 */
export function foldRunState(events: Iterable<EchelonEvent>, options: RunStateOptions = {}): RunState {
  const state = createRunState("", options);
  for (const event of events) applyRunEvent(state, event);
  return state;
}

/**
 * The task counts a run will have once its terminal event settles what is left (see
 * {@link applyRunEvent}), without changing the state.
 */
export function settledCounts(state: RunState, outcome: OrchestrationState): TaskCounts {
  const counts = { ...state.counts };
  const waiting = counts.pending;
  const running = counts.running;
  counts.pending = 0;
  counts.running = 0;
  counts.cancelled += running;
  if (outcome === "cancelled") counts.cancelled += waiting;
  else counts.skipped += waiting;
  return counts;
}

function start(state: RunState, event: EchelonEvent<"orchestration:started">): void {
  state.orchestrationId = event.orchestrationId;
  state.taskId = event.taskId;
  state.state = "running";
  state.plan = event.plan;
  state.levels = event.levels;
  state.startedAt = event.ts;
  state.startedAtEpochMs = event.startedAtEpochMs;
  state.totalTasks = event.plan.nodeCount;
  state.counts.pending = event.plan.nodeCount;
  const perDepth = nodesPerDepth(event.plan);
  for (let depth = 0; depth < perDepth.length; depth++) depthAt(state, depth).total += perDepth[depth]!;
}

/** Plans are immutable: the count of nodes at each depth is computed once per plan object. */
const depthCounts = new WeakMap<Plan, readonly number[]>();

function nodesPerDepth(plan: Plan): readonly number[] {
  const known = depthCounts.get(plan);
  if (known !== undefined) return known;
  const counts: number[] = [];
  const stack: PlanNode[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    counts[node.depth] = (counts[node.depth] ?? 0) + 1;
    const children = node.children;
    for (let i = 0; i < children.length; i++) stack.push(children[i]!);
  }
  if (typeof plan === "object" && Object.isFrozen(plan)) depthCounts.set(plan, counts);
  return counts;
}

/**
 * The plan grew at `nodePath`. Children of a plan node count as plan nodes from now on (pending
 * until they run); children made under an invocation count when first seen, as invocations do.
 */
function expand(state: RunState, event: EchelonEvent<"plan:expanded">): void {
  if (state.expansions[event.nodePath] !== undefined) return;
  state.expansions[event.nodePath] = {
    pattern: event.pattern,
    patternOptions: event.patternOptions,
    children: event.children,
  };
  state.expandedTasks += event.tasks;
  if (!NodePath.isPlanNode(event.nodePath)) return;
  state.totalTasks += event.tasks;
  state.counts.pending += event.tasks;
  const stack: PlanNode[] = [...event.children];
  while (stack.length > 0) {
    const node = stack.pop()!;
    depthAt(state, node.depth).total++;
    const children = node.children;
    for (let i = 0; i < children.length; i++) stack.push(children[i]!);
  }
}

/** Picked up from the journal: attempts that were running will never end; their tasks wait again. */
function recover(state: RunState): void {
  state.state = "running";
  for (const path in state.tasks) {
    const task = state.tasks[path]!;
    task.attemptStartedAt = null;
    if (task.state === "running") move(state, task, "pending");
  }
}

function finish(state: RunState, outcome: OrchestrationState, ts: number): void {
  state.finalProgress = outcome === "completed" ? 100 : runProgress(state);
  const settled = settledCounts(state, outcome);
  // Only unfinished tasks have something to settle; a run that ended cleanly has none.
  if (state.counts.pending + state.counts.running > 0) settleTasks(state, outcome, ts);
  Object.assign(state.counts, settled);
  state.waitingTasks = 0;
  state.unseenState = outcome === "cancelled" ? "cancelled" : "skipped";
  state.state = outcome;
  state.endedAt = ts;
}

function settleTasks(state: RunState, outcome: OrchestrationState, ts: number): void {
  for (const path in state.tasks) {
    const task = state.tasks[path]!;
    if (task.template || isFinalTaskState(task.state)) continue;
    closeAttempt(state, task, ts);
    task.state = task.state === "running" || outcome === "cancelled" ? "cancelled" : "skipped";
    task.endedAt = ts;
  }
}

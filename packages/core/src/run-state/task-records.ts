import type { PlanNode } from "../model/task.js";
import type { TaskKind } from "../events/event-map.js";
import type { NodeState } from "../model/result.js";
import { NodePath } from "./node-path.js";
import {
  type DepthProgress,
  isFinalTaskState,
  type RunState,
  type TaskCounts,
  type TaskRecord,
} from "./run-state.js";

/*
 * The task-record bookkeeping of the run-state fold (see `applyRunEvent`): records created
 * when first seen, tasks the plan did not count (invocations, compensations, re-runs),
 * template plan nodes, moves between count buckets, busy time of attempts, and per-depth
 * progress. Each helper updates the state in place. Internal.
 */

/** The progress of one depth, created (with the depths above it) when first needed. */
export function depthAt(state: RunState, depth: number): DepthProgress {
  while (state.depths.length <= depth) state.depths.push({ total: 0, done: 0, failed: 0, cancelled: 0 });
  return state.depths[depth]!;
}

function depthOf(state: RunState, path: string): DepthProgress {
  return depthAt(state, NodePath.depth(NodePath.compensated(path) ?? path));
}

function newRecord(path: string): TaskRecord {
  return {
    path,
    kind: null,
    state: "pending",
    agentId: null,
    agentType: null,
    level: null,
    pattern: null,
    attempts: 0,
    startedAt: null,
    endedAt: null,
    errorCode: null,
    error: null,
    progress: null,
    busyMs: 0,
    attemptStartedAt: null,
    template: false,
  };
}

/** Adds one task that the plan did not count (an invocation, a compensation, a re-run). */
function countExtra(state: RunState, path: string): void {
  state.totalTasks++;
  state.counts.pending++;
  depthOf(state, path).total++;
}

/**
 * True when `path` names a node counted as a plan node: in the plan, or made by an expansion of
 * a plan node (the walk follows ids from the root; expansions supply the children of nodes that
 * expanded).
 */
export function isCountedPlanNode(state: RunState, path: string): boolean {
  const plan = state.plan;
  if (plan === null) return false;
  const ids = path.split("/");
  if (ids[0] !== plan.root.id) return false;
  let node: PlanNode = plan.root;
  let at = plan.root.path;
  for (let i = 1; i < ids.length; i++) {
    const children: readonly PlanNode[] =
      node.children.length > 0 ? node.children : (state.expansions[at]?.children ?? []);
    const next = children.find((c) => c.id === ids[i]);
    if (next === undefined) return false;
    node = next;
    at = `${at}/${next.id}`;
  }
  return true;
}

/** A plan node seen for the first time as the template of an invocation: it stops counting. */
function markTemplate(state: RunState, planPath: string): void {
  if (state.tasks[planPath] !== undefined || !isCountedPlanNode(state, planPath)) return;
  const record = newRecord(planPath);
  record.template = true;
  state.tasks[planPath] = record;
  state.totalTasks--;
  state.counts.pending--;
  depthOf(state, planPath).total--;
}

/**
 * The record of `path`, created when first seen. `starting` is true for events that begin a
 * run of the task: one of a finished task is a re-run, counted as one more task (its earlier
 * outcome stays counted).
 */
export function touch(state: RunState, path: string, starting: boolean): TaskRecord {
  let task = state.tasks[path];
  if (task === undefined) {
    task = newRecord(path);
    state.tasks[path] = task;
    if (!NodePath.isPlanNode(path)) {
      countExtra(state, path);
      if (!NodePath.isCompensation(path)) markTemplates(state, path);
    }
    return task;
  }
  if (task.template) {
    task.template = false;
    countExtra(state, path);
    return task;
  }
  if (starting && isFinalTaskState(task.state)) {
    // Re-run: the earlier outcome stays counted in its bucket; the new run is one more task.
    state.totalTasks++;
    state.counts.pending++;
    depthOf(state, path).total++;
    task.state = "pending";
    task.endedAt = null;
    task.errorCode = null;
    task.error = null;
  }
  return task;
}

/** Every plan node an invocation path instantiates (`a/b#i/c` → `a/b`, `a/b/c`) becomes a template. */
function markTemplates(state: RunState, path: string): void {
  let at = path.indexOf("#");
  while (at >= 0) {
    const end = path.indexOf("/", at);
    const prefix = path.slice(0, at);
    markTemplate(state, NodePath.planPath(prefix));
    if (end < 0) break;
    at = path.indexOf("#", end);
  }
  // The node itself: `a/b#i/c` runs plan node `a/b/c`.
  const plan = NodePath.planPath(path);
  if (plan !== path) markTemplate(state, plan);
}

/** Moves a task to another state, keeping the counts and the waiting total in step. */
export function move(state: RunState, task: TaskRecord, to: NodeState): void {
  const from = task.state;
  if (from === to) return;
  if (from === "waiting") state.waitingTasks--;
  else if (to === "waiting") state.waitingTasks++;
  task.state = to;
  // `waiting` counts as `pending`: moving between the two changes no bucket.
  if ((from === "waiting" || from === "pending") && (to === "waiting" || to === "pending")) return;
  count(state.counts, from, -1);
  count(state.counts, to, 1);
}

/** Adds `by` to the bucket of `state` (named fields, not a keyed access: this runs per task event). */
function count(counts: TaskCounts, state: NodeState, by: number): void {
  switch (state) {
    case "pending":
    case "waiting":
      counts.pending += by;
      return;
    case "running":
      counts.running += by;
      return;
    case "completed":
      counts.completed += by;
      return;
    case "failed":
      counts.failed += by;
      return;
    case "cancelled":
      counts.cancelled += by;
      return;
    case "skipped":
      counts.skipped += by;
      return;
    case "compensated":
      counts.compensated += by;
      return;
  }
}

/** Ends the attempt running now, if any: its time goes to the task's, the level's and the agent's busy time. */
export function closeAttempt(state: RunState, task: TaskRecord, ts: number): void {
  const began = task.attemptStartedAt;
  if (began === null) return;
  task.attemptStartedAt = null;
  const ms = Math.max(0, ts - began);
  const before = task.busyMs;
  task.busyMs += ms;
  state.busy.totalMs += ms;
  if (task.path.includes("#") && task.busyMs > 0) {
    const plan = NodePath.planPath(task.path);
    const entry = state.busy.invocations[plan];
    if (entry === undefined) state.busy.invocations[plan] = { maxMs: task.busyMs, count: 1 };
    else {
      if (task.busyMs > entry.maxMs) entry.maxMs = task.busyMs;
      if (before === 0) entry.count++;
    }
  }
  if (task.level !== null) state.busy.byLevel[task.level] = (state.busy.byLevel[task.level] ?? 0) + ms;
  if (task.agentId !== null) state.busy.byAgent[task.agentId] = (state.busy.byAgent[task.agentId] ?? 0) + ms;
}

/**
 * Ends a task in a final state at `ts`: closes its attempt, moves it, and (unless it had
 * already ended) counts it at its depth.
 */
export function end(
  state: RunState,
  path: string,
  to: NodeState,
  ts: number,
  kind: TaskKind | null,
): TaskRecord {
  const task = touch(state, path, false);
  if (kind !== null) task.kind ??= kind;
  closeAttempt(state, task, ts);
  const wasFinal = isFinalTaskState(task.state);
  move(state, task, to);
  task.endedAt = ts;
  if (wasFinal) return task;
  const depth = depthOf(state, path);
  if (to === "cancelled") depth.cancelled++;
  else {
    depth.done++;
    if (to === "failed") depth.failed++;
  }
  return task;
}

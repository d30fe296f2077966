import type { NodeStatus, OrchestrationStatus } from "../model/result.js";
import type { BusyLookup } from "../metrics/overhead.js";
import { isFinalState, type RunState, runProgress } from "./run-state.js";

/**
 * The status of a run as `getOrchestrationStatus` returns it, read from its state.
 *
 * @param state - the folded run state
 * @param now - monotonic now, ms (for `elapsedMs` of a running orchestration)
 */
export function runStatus(state: RunState, now: number = performance.now()): OrchestrationStatus {
  const nodes: Record<string, NodeStatus> = {};
  for (const path in state.tasks) {
    const t = state.tasks[path]!;
    if (t.template) continue;
    nodes[path] = {
      path,
      state: t.state,
      agentId: t.agentId,
      attempts: t.attempts,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      errorCode: t.errorCode,
    };
  }
  const c = state.counts;
  const end = state.endedAt ?? (isFinalState(state.state) ? state.startedAt : null) ?? now;
  return {
    orchestrationId: state.orchestrationId,
    taskId: state.taskId,
    state: state.state,
    totalTasks: state.totalTasks,
    pendingTasks: c.pending,
    runningTasks: c.running,
    completedTasks: c.completed,
    failedTasks: c.failed,
    cancelledTasks: c.cancelled,
    skippedTasks: c.skipped,
    compensatedTasks: c.compensated,
    expandedTasks: state.expandedTasks,
    progress: runProgress(state),
    elapsedMs: state.startedAt === null ? 0 : end - state.startedAt,
    nodes,
  };
}

/**
 * Agent busy time by plan node, for the critical path of the overhead lower bound: the
 * invocations of a node (`path#key`, and everything under them) fold into the plan node.
 */
export function busyByPlanNode(state: RunState): BusyLookup {
  const tasks = state.tasks;
  const folded = state.busy.invocations;
  return {
    busiestMs(path) {
      const own = tasks[path]?.busyMs ?? 0;
      const more = folded[path];
      return more === undefined ? own : Math.max(own, more.maxMs);
    },
    invocations(path) {
      const own = (tasks[path]?.busyMs ?? 0) > 0 ? 1 : 0;
      return own + (folded[path]?.count ?? 0);
    },
  };
}

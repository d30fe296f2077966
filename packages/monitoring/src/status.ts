import type { NodeStatus, OrchestrationStatus } from "@echelon/core";
import type { OrchestrationTracker } from "./tracker.js";
import type { EnrichedOrchestrationStatus } from "./types.js";

/** @internal Core-shaped status built from the monitor's own tracker (no orchestrator at hand). */
export function baseStatus(t: OrchestrationTracker, now: number): OrchestrationStatus {
  const c = t.counts();
  const done = c.completed + c.failed + c.cancelled + c.skipped;
  const ended = t.endedAt !== null;
  const nodes: Record<string, NodeStatus> = {};
  for (const n of t.order) {
    if (n.state === "pending") continue;
    nodes[n.path] = {
      path: n.path,
      state: n.state,
      agentId: n.agentId,
      attempts: n.attempts,
      startedAt: n.startedAt,
      endedAt: n.endedAt,
      errorCode: n.errorCode,
    };
  }
  return {
    orchestrationId: t.orchestrationId,
    taskId: t.taskId,
    state: t.state,
    totalTasks: t.total,
    completedTasks: c.completed,
    failedTasks: c.failed,
    runningTasks: c.running,
    cancelledTasks: c.cancelled,
    skippedTasks: c.skipped,
    progress: ended ? 100 : t.total === 0 ? 0 : Math.min(100, (100 * done) / t.total),
    elapsedMs: (t.endedAt ?? now) - t.startedAt,
    nodes,
  };
}

/**
 * @internal Adds the monitor's figures to a core status. ETA = remaining tasks ÷ observed
 * finishing rate (finished tasks per elapsed millisecond).
 */
export function enrich(
  base: OrchestrationStatus,
  t: OrchestrationTracker | undefined,
): EnrichedOrchestrationStatus {
  const ended = base.state === "completed" || base.state === "failed" || base.state === "cancelled";
  const done = base.completedTasks + base.failedTasks + base.cancelledTasks + base.skippedTasks;
  let etaMs: number | null = null;
  if (ended) etaMs = 0;
  else if (done > 0 && base.elapsedMs > 0) {
    const remaining = Math.max(0, base.totalTasks - done);
    etaMs = remaining / (done / base.elapsedMs);
  }
  const wallSec = base.elapsedMs / 1000;
  return {
    ...base,
    currentPatterns: t ? [...t.runningPatterns.entries()].map(([path, pattern]) => ({ path, pattern })) : [],
    etaMs,
    queueDepth: t ? t.queued.size : 0,
    throughputPerSec: t && wallSec > 0 ? t.leavesCompleted / wallSec : 0,
    retries: t?.retries ?? 0,
    compensations: t?.compensations ?? 0,
    busyMsByLevel: { ...(t?.busyMsByLevel ?? {}) },
    busyMsByAgent: { ...(t?.busyMsByAgent ?? {}) },
    tree: t ? t.tree() : null,
  };
}

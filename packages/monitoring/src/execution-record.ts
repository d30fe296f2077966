import type { OrchestrationResult } from "@echelon/core";
import type { OrchestrationTracker } from "./tracker.js";
import type { ExecutionRecord } from "./types.js";

/**
 * @internal One history entry from a final result. Overhead and metrics are copied from the
 * result as they are; utilisation is `totalBusyMs / (wallMs × leafSlots)` from the same figures.
 */
export function toExecutionRecord(
  t: OrchestrationTracker,
  result: OrchestrationResult,
  endedAt: number,
): ExecutionRecord {
  const m = result.metadata.metrics;
  const md = result.metadata;
  const denom = m.wallMs * m.leafSlots;
  return {
    orchestrationId: result.orchestrationId,
    taskId: result.taskId,
    state: result.state,
    success: result.success,
    startedAtEpochMs: t.startedAtEpochMs,
    endedAt,
    coordinationOverhead: result.coordinationOverhead,
    metrics: m,
    utilisation: denom > 0 ? Math.min(1, m.totalBusyMs / denom) : null,
    throughputPerSec: m.wallMs > 0 ? (t.state.completedLeaves * 1000) / m.wallMs : 0,
    busyMsByLevel: { ...t.state.busy.byLevel },
    busyMsByAgent: { ...t.state.busy.byAgent },
    totalTasks: md.totalTasks,
    completedTasks: md.completedTasks,
    failedTasks: md.failedTasks,
    cancelledTasks: md.cancelledTasks,
    compensatedTasks: md.compensatedTasks,
    retries: md.retries,
    agentsUsed: result.agentsUsed,
    patternsUsed: md.patternsUsed,
    errorCode: result.error?.code ?? null,
  };
}

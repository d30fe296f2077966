import { type OrchestrationStatus, runStatus } from "@echelon/core";
import type { OrchestrationTracker } from "./tracker.js";
import type { EnrichedOrchestrationStatus } from "./types.js";

/** @internal Core's status read from the monitor's own fold (no orchestrator at hand). */
export function baseStatus(t: OrchestrationTracker, now: number): OrchestrationStatus {
  return runStatus(t.state, now);
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
  const done =
    base.completedTasks + base.failedTasks + base.cancelledTasks + base.skippedTasks + base.compensatedTasks;
  let etaMs: number | null = null;
  if (ended) etaMs = 0;
  else if (done > 0 && base.elapsedMs > 0) {
    const remaining = Math.max(0, base.totalTasks - done);
    etaMs = remaining / (done / base.elapsedMs);
  }
  const wallSec = base.elapsedMs / 1000;
  const s = t?.state;
  return {
    ...base,
    currentPatterns: t ? t.runningPatterns() : [],
    etaMs,
    queueDepth: s?.waitingTasks ?? 0,
    throughputPerSec: s !== undefined && wallSec > 0 ? s.completedLeaves / wallSec : 0,
    retries: s?.retries ?? 0,
    compensations: s?.counts.compensated ?? 0,
    busyMsByLevel: { ...(s?.busy.byLevel ?? {}) },
    busyMsByAgent: { ...(s?.busy.byAgent ?? {}) },
    tree: t ? t.tree() : null,
  };
}

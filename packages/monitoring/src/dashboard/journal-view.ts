import {
  EchelonError,
  isFinalState,
  isOwnerProcessGone,
  type OrchestrationResult,
  type OrchestrationState,
  type OrchestrationStatus,
  type RunState,
  type RunSummary,
} from "@echelon/core";
import { MonitoringErrorCode } from "../errors.js";
import { runningPatterns } from "../plan-tree.js";
import type { OrchestrationView, RunOutcome } from "./views.js";

/**
 * @internal The live process holding an unfinished run's lease, or `null` when none does: no
 * lease, or a holder on this host whose process is gone (`isOwnerProcessGone`).
 */
export function liveOwner(s: RunSummary | null): string | null {
  if (s === null || s.owner === null || isFinalState(s.state)) return null;
  return isOwnerProcessGone(s.owner) ? null : s.owner;
}

/**
 * Who holds an unfinished run: its live owner, or nobody (it crashed or was stopped). Without
 * a summary nothing is known, so nothing is claimed.
 */
function ownershipOf(
  s: RunSummary | null,
  state: OrchestrationState,
): Pick<OrchestrationView, "owner" | "orphaned" | "cancelRequested"> {
  if (s === null || isFinalState(state)) {
    return { owner: null, orphaned: false, cancelRequested: s?.cancelRequested ?? false };
  }
  const owner = liveOwner(s);
  return { owner, orphaned: owner === null, cancelRequested: s.cancelRequested };
}

/** @internal The page's line of a journal run known only from its summary (not folded yet). */
export function summaryView(s: RunSummary, now: number): OrchestrationView {
  const final = isFinalState(s.state);
  return {
    id: s.orchestrationId,
    taskId: s.taskId,
    state: s.state,
    progress: null,
    elapsedMs: s.startedAtEpochMs === null ? 0 : Math.max(0, (s.endedAtEpochMs ?? now) - s.startedAtEpochMs),
    etaMs: final ? 0 : null,
    totalTasks: null,
    patterns: [],
    source: "journal",
    ...ownershipOf(s, s.state),
  };
}

/** @internal The page's line of a journal run folded from its events (core's `replayOrchestration`). */
export function foldView(
  id: string,
  status: OrchestrationStatus,
  state: RunState,
  summary: RunSummary | null,
  now: number,
): OrchestrationView {
  const final = isFinalState(status.state);
  const startedAt = summary?.startedAtEpochMs ?? null;
  return {
    id,
    taskId: status.taskId,
    state: status.state,
    progress: status.progress,
    // An unfinished run's events stop at the last one journaled: count its time on the wall clock.
    elapsedMs: !final && startedAt !== null ? Math.max(0, now - startedAt) : status.elapsedMs,
    etaMs: final ? 0 : null,
    totalTasks: status.totalTasks,
    patterns: [...new Set(runningPatterns(state).map((p) => p.pattern))],
    source: "journal",
    ...ownershipOf(summary, status.state),
  };
}

/** @internal How a run ended, from its terminal event's result; `null` while it has none. */
export function outcomeOf(result: OrchestrationResult | null): RunOutcome | null {
  if (result === null) return null;
  return { success: result.success, result: result.result, error: result.error };
}

/** @internal `ECHELON_DASHBOARD_JOURNAL_FAILED` for a store call that threw or rejected. */
export function journalFailed(
  store: string,
  operation: string,
  id: string | null,
  cause: unknown,
): EchelonError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const verb = operation === "requestCancel" ? "record a cancel request in" : "read";
  return new EchelonError(
    MonitoringErrorCode.JOURNAL_FAILED,
    `The dashboard could not ${verb} the journal "${store}" (${operation}${id === null ? "" : ` of "${id}"`}: ${reason}). The runs this process watched are still shown; check the journal (\`echelon list\`) and its file.`,
    { cause, details: { store, operation, ...(id === null ? {} : { orchestrationId: id }) } },
  );
}

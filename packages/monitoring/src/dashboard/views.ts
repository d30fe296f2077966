import type { EchelonErrorJson, OrchestrationState } from "@echelon/core";
import type { Monitor } from "../monitor.js";
import type { EnrichedOrchestrationStatus, MonitoredNode } from "../types.js";

/** @internal One tree row sent to the page: [path, id, description, depth, parentIndex, pattern, state, agentId, attempts]. */
export type RowView = [string, string, string, number, number, string | null, string, string | null, number];

/**
 * @internal Where a view's figures come from: `live` from this dashboard's monitor (the run
 * ran or runs in this process while it watched), `journal` from the orchestrator's event store
 * (a run of an earlier process, or of another process sharing the journal).
 */
export type ViewSource = "live" | "journal";

/** @internal An orchestration's summary line for the page. */
export interface OrchestrationView {
  readonly id: string;
  readonly taskId: string;
  readonly state: OrchestrationState;
  /** 0–100; `null` for a journal run listed from its summary and not folded yet. */
  readonly progress: number | null;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
  /** `null` for a journal run listed from its summary and not folded yet. */
  readonly totalTasks: number | null;
  readonly patterns: readonly string[];
  readonly source: ViewSource;
  /** Journal runs: the live process holding the run's lease; `null` when none does (and for live runs). */
  readonly owner: string | null;
  /** Journal runs: not finished, yet no live process holds them (crashed or stopped). */
  readonly orphaned: boolean;
  /** Journal runs: a cancel was requested through the journal. */
  readonly cancelRequested: boolean;
}

/** @internal How a finished run ended, from its terminal event: the root's output or the coded failure. */
export interface RunOutcome {
  readonly success: boolean;
  /** The root node's output (JSON); `null` on failure. */
  readonly result: unknown;
  /** The failure, coded; `null` on success. */
  readonly error: EchelonErrorJson | null;
}

/**
 * @internal What `GET /api/orchestrations/:id` answers (besides `seq`): the summary, the tree,
 * and, once the run has finished and the journal holds its end, how it ended.
 */
export interface OrchestrationDetail {
  readonly orchestration: OrchestrationView;
  readonly rows: RowView[];
  readonly outcome: RunOutcome | null;
}

/** @internal The summary line of a status the monitor enriched. */
export function liveView(id: string, s: EnrichedOrchestrationStatus): OrchestrationView {
  return {
    id,
    taskId: s.taskId,
    state: s.state,
    progress: s.progress,
    elapsedMs: s.elapsedMs,
    etaMs: s.etaMs,
    totalTasks: s.totalTasks,
    patterns: [...new Set(s.currentPatterns.map((p) => p.pattern))],
    source: "live",
    owner: null,
    orphaned: false,
    cancelRequested: false,
  };
}

function liveStatus(monitor: Monitor, id: string): EnrichedOrchestrationStatus | null {
  try {
    return monitor.getOrchestrationStatus(id);
  } catch {
    // Unknown to the monitor and its orchestrator (ECHELON_ORCHESTRATION_UNKNOWN): not live.
    return null;
  }
}

/** @internal Summary of one orchestration, or `null` when the monitor no longer knows it. */
export function orchestrationView(monitor: Monitor, id: string): OrchestrationView | null {
  const s = liveStatus(monitor, id);
  return s === null ? null : liveView(id, s);
}

/**
 * @internal Summary and tree of a run the monitor knows, or `null` when it does not. `tree` is
 * `false` when the monitor knows the run but not its plan (the orchestrator remembers a run the
 * monitor never saw): the journal may then tell more.
 */
export function liveDetail(monitor: Monitor, id: string): (OrchestrationDetail & { tree: boolean }) | null {
  const s = liveStatus(monitor, id);
  if (s === null) return null;
  return { orchestration: liveView(id, s), rows: treeRows(s.tree), outcome: null, tree: s.tree !== null };
}

/** @internal The plan tree as rows in depth-first order (parents before children). */
export function treeRows(tree: MonitoredNode | null): RowView[] {
  const rows: RowView[] = [];
  if (tree === null) return rows;
  const stack: Array<{ node: MonitoredNode; parent: number }> = [{ node: tree, parent: -1 }];
  while (stack.length > 0) {
    const { node, parent } = stack.pop()!;
    const index = rows.length;
    rows.push([
      node.path,
      node.id,
      node.description,
      node.depth,
      parent,
      node.pattern,
      node.state,
      node.agentId,
      node.attempts,
    ]);
    for (let i = node.children.length - 1; i >= 0; i--)
      stack.push({ node: node.children[i]!, parent: index });
  }
  return rows;
}

/** @internal Level bars, trend points and totals for the page. */
export function overview(monitor: Monitor): {
  levels: {
    level: string;
    agents: number;
    capacity: number;
    utilisation: number;
    windowUtilisation: number;
  }[];
  trends: { t: number; throughput: number; overhead: number | null }[];
  queueDepth: number;
} {
  const snap = monitor.snapshot();
  return {
    levels: snap.levels.map((l) => ({
      level: l.level,
      agents: l.agents,
      capacity: l.capacity,
      utilisation: l.utilisation,
      windowUtilisation: l.windowUtilisation,
    })),
    trends: monitor
      .trends()
      .slice(-120)
      .map((p) => ({ t: p.start, throughput: p.throughputPerSec, overhead: p.meanCoordinationOverhead })),
    queueDepth: snap.queueDepth,
  };
}

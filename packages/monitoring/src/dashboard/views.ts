import type { MonitoredNode } from "../types.js";
import type { Monitor } from "../monitor.js";

/** @internal One tree row sent to the page: [path, id, description, depth, parentIndex, pattern, state, agentId, attempts]. */
export type RowView = [string, string, string, number, number, string | null, string, string | null, number];

/** @internal An orchestration's summary line for the page. */
export interface OrchestrationView {
  readonly id: string;
  readonly taskId: string;
  readonly state: string;
  readonly progress: number;
  readonly elapsedMs: number;
  readonly etaMs: number | null;
  readonly totalTasks: number;
  readonly patterns: readonly string[];
}

/** @internal Summary of one orchestration, or `null` when the monitor no longer knows it. */
export function orchestrationView(monitor: Monitor, id: string): OrchestrationView | null {
  try {
    const s = monitor.getOrchestrationStatus(id);
    return {
      id,
      taskId: s.taskId,
      state: s.state,
      progress: s.progress,
      elapsedMs: s.elapsedMs,
      etaMs: s.etaMs,
      totalTasks: s.totalTasks,
      patterns: [...new Set(s.currentPatterns.map((p) => p.pattern))],
    };
  } catch {
    return null;
  }
}

/** @internal The plan tree as rows in depth-first order (parents before children). */
export function treeRows(monitor: Monitor, id: string): RowView[] {
  const tree = monitor.getOrchestrationStatus(id).tree;
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

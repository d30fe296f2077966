import { NodePath, type NodeState, type PlanNode, type RunState, type TaskRecord } from "@echelon/core";
import type { MonitoredNode } from "./types.js";

/**
 * @internal The plan tree of a folded run with every node's state, or `null` before the plan
 * is known. A node that runs as invocations (`path#key`) shows how its invocations stand; a
 * node that expanded at run time shows the children it made, as soon as they exist. Used for
 * live runs (the monitor's tracker) and for runs folded from the journal alike.
 *
 * @param state - the run state folded by core's `applyRunEvent`
 */
export function planTree(state: RunState): MonitoredNode | null {
  const plan = state.plan;
  if (plan === null) return null;
  const invocations = invocationsByPlanPath(state);
  const build = (node: PlanNode): MonitoredNode => {
    const record = state.tasks[node.path];
    const own = record !== undefined && !record.template ? record : null;
    const runs = invocations.get(node.path);
    const grown = state.expansions[node.path];
    return {
      path: node.path,
      id: node.id,
      description: node.description,
      depth: node.depth,
      // A node that expanded runs with the pattern its expansion gave it (a lazily decomposed
      // node has none in the plan; a decomposition that found nothing to split made it a leaf).
      pattern: grown !== undefined ? grown.pattern : node.pattern,
      state: own?.state ?? (runs !== undefined ? summarize(runs) : state.unseenState),
      agentId: own?.agentId ?? null,
      attempts: own?.attempts ?? runs?.length ?? 0,
      startedAt: own?.startedAt ?? earliest(runs),
      endedAt: own?.endedAt ?? null,
      errorCode: own?.errorCode ?? null,
      // A node that expanded at run time shows the children it made.
      children: (node.children.length > 0 ? node.children : (grown?.children ?? [])).map(build),
    };
  };
  return build(plan.root);
}

/** @internal Patterns running in a folded run, one entry per running composite node. */
export function runningPatterns(state: RunState): { path: string; pattern: string }[] {
  const running: { path: string; pattern: string }[] = [];
  for (const path in state.tasks) {
    const t = state.tasks[path]!;
    if (t.state === "running" && t.kind === "composite" && t.pattern !== null)
      running.push({ path, pattern: t.pattern });
  }
  return running;
}

function invocationsByPlanPath(state: RunState): Map<string, TaskRecord[]> {
  const byPlan = new Map<string, TaskRecord[]>();
  for (const path in state.tasks) {
    if (NodePath.isPlanNode(path)) continue;
    const plan = NodePath.planPath(path);
    let list = byPlan.get(plan);
    if (list === undefined) {
      list = [];
      byPlan.set(plan, list);
    }
    list.push(state.tasks[path]!);
  }
  return byPlan;
}

/** How a template node stands, from its invocations. */
function summarize(runs: readonly TaskRecord[]): NodeState {
  const states = new Set(runs.map((r) => r.state));
  for (const s of [
    "running",
    "waiting",
    "failed",
    "cancelled",
    "completed",
    "compensated",
    "skipped",
  ] as const) {
    if (states.has(s)) return s;
  }
  return "pending";
}

function earliest(runs: readonly TaskRecord[] | undefined): number | null {
  let min: number | null = null;
  for (const r of runs ?? [])
    if (r.startedAt !== null && (min === null || r.startedAt < min)) min = r.startedAt;
  return min;
}

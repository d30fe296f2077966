import {
  applyRunEvent,
  createRunState,
  type EchelonEvent,
  isFinalTaskState,
  NodePath,
  type NodeState,
  type NodeStatus,
  type PlanNode,
  type RunState,
  type TaskRecord,
} from "@echelon/core";
import type { MonitoredNode } from "./types.js";

/** @internal True when a node state is terminal. */
export function isFinished(state: NodeState): boolean {
  return isFinalTaskState(state);
}

/**
 * @internal Follows one orchestration through its events with core's run-state fold
 * (`applyRunEvent`), so the monitor, the orchestrator's status and a replay of the journal
 * can never disagree. Adds only what is not node state: when the monitor first saw the run.
 */
export class OrchestrationTracker {
  /** The folded run state. */
  readonly state: RunState;

  constructor(
    readonly orchestrationId: string,
    /** Monotonic time of the first event seen (the start, unless the monitor joined late). */
    readonly firstSeenAt: number,
  ) {
    this.state = createRunState(orchestrationId);
  }

  /** Applies one event of this orchestration. Returns the affected node path, if any. */
  apply(event: EchelonEvent): string | null {
    applyRunEvent(this.state, event);
    return event.nodePath === "" || event.type.startsWith("orchestration:") ? null : event.nodePath;
  }

  /** Monotonic start of the run. */
  get startedAt(): number {
    return this.state.startedAt ?? this.firstSeenAt;
  }

  /** Wall-clock start, epoch ms. */
  get startedAtEpochMs(): number {
    return this.state.startedAtEpochMs ?? Date.now();
  }

  /** Patterns running now, by composite node path. */
  runningPatterns(): { path: string; pattern: string }[] {
    const running: { path: string; pattern: string }[] = [];
    for (const path in this.state.tasks) {
      const t = this.state.tasks[path]!;
      if (t.state === "running" && t.kind === "composite" && t.pattern !== null)
        running.push({ path, pattern: t.pattern });
    }
    return running;
  }

  /** Status of one task, or `null` when it has no record. */
  node(path: string): NodeStatus | null {
    const t = this.state.tasks[path];
    if (t === undefined || t.template) return null;
    return {
      path,
      state: t.state,
      agentId: t.agentId,
      attempts: t.attempts,
      startedAt: t.startedAt,
      endedAt: t.endedAt,
      errorCode: t.errorCode,
    };
  }

  /**
   * The plan tree with every node's state, or `null` before the plan is known. A node that
   * runs as invocations (`path#key`) shows how its invocations stand; a node that expanded at
   * run time shows the children it made, as soon as they exist.
   */
  tree(): MonitoredNode | null {
    const plan = this.state.plan;
    if (plan === null) return null;
    const invocations = this.invocationsByPlanPath();
    const build = (node: PlanNode): MonitoredNode => {
      const record = this.state.tasks[node.path];
      const own = record !== undefined && !record.template ? record : null;
      const runs = invocations.get(node.path);
      const grown = this.state.expansions[node.path];
      return {
        path: node.path,
        id: node.id,
        description: node.description,
        depth: node.depth,
        // A node that expanded runs with the pattern its expansion gave it (a lazily decomposed
        // node has none in the plan; a decomposition that found nothing to split made it a leaf).
        pattern: grown !== undefined ? grown.pattern : node.pattern,
        state: own?.state ?? (runs !== undefined ? summarize(runs) : this.state.unseenState),
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

  private invocationsByPlanPath(): Map<string, TaskRecord[]> {
    const byPlan = new Map<string, TaskRecord[]>();
    for (const path in this.state.tasks) {
      if (NodePath.isPlanNode(path)) continue;
      const plan = NodePath.planPath(path);
      let list = byPlan.get(plan);
      if (list === undefined) {
        list = [];
        byPlan.set(plan, list);
      }
      list.push(this.state.tasks[path]!);
    }
    return byPlan;
  }
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

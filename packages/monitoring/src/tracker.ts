import type {
  EchelonEvent,
  NodeState,
  OrchestrationResult,
  OrchestrationState,
  PlanNode,
} from "@echelon/core";
import type { MonitoredNode } from "./types.js";

/** @internal Mutable status of one node (plan node or extra invocation). */
export interface TrackedNode {
  readonly path: string;
  readonly id: string;
  readonly description: string;
  readonly depth: number;
  readonly pattern: string | null;
  /** Index of the parent in `order`, -1 for the root or an extra invocation. */
  readonly parent: number;
  readonly inPlan: boolean;
  state: NodeState;
  agentId: string | null;
  attempts: number;
  startedAt: number | null;
  endedAt: number | null;
  errorCode: string | null;
}

const FINISHED: ReadonlySet<NodeState> = new Set([
  "completed",
  "failed",
  "cancelled",
  "compensated",
  "skipped",
]);

/** @internal True when a node state is terminal. */
export function isFinished(state: NodeState): boolean {
  return FINISHED.has(state);
}

/**
 * @internal Follows one orchestration through its events: the plan tree, every node's state,
 * the queue, the running patterns and the counts. Pure bookkeeping, no I/O.
 */
export class OrchestrationTracker {
  taskId = "";
  state: OrchestrationState = "running";
  startedAt: number;
  startedAtEpochMs = Date.now();
  endedAt: number | null = null;
  result: OrchestrationResult | null = null;
  levels: readonly string[] = [];
  /** Nodes in plan (depth-first) order, extra invocations appended. */
  readonly order: TrackedNode[] = [];
  readonly byPath = new Map<string, TrackedNode>();
  readonly queued = new Set<string>();
  readonly runningPatterns = new Map<string, string>();
  leavesCompleted = 0;
  /** Busy milliseconds of this orchestration's leaf and compensation attempts, by level and by agent. */
  readonly busyMsByLevel: Record<string, number> = {};
  readonly busyMsByAgent: Record<string, number> = {};
  private readonly openSpans = new Map<string, { start: number; level: string; agentId: string }>();
  retries = 0;
  compensations = 0;
  finishedNodes = 0;

  constructor(
    readonly orchestrationId: string,
    ts: number,
  ) {
    this.startedAt = ts;
  }

  /** Applies one event of this orchestration. Returns the affected node path, if any. */
  apply(event: EchelonEvent): string | null {
    switch (event.type) {
      case "orchestration:started":
        this.taskId = event.taskId;
        this.startedAt = event.ts;
        this.startedAtEpochMs = event.startedAtEpochMs;
        this.levels = event.levels;
        this.loadPlan(event.plan.root);
        return null;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled":
        this.finish(event.result, event.ts);
        return null;
      case "task:queued":
        this.queued.add(event.nodePath);
        this.setState(this.node(event.nodePath), "waiting");
        return event.nodePath;
      case "task:started": {
        this.queued.delete(event.nodePath);
        if (event.kind !== "composite") {
          this.openSpans.set(event.nodePath, { start: event.ts, level: event.level, agentId: event.agentId });
        }
        if (event.kind === "compensation") return null;
        const node = this.node(event.nodePath);
        this.setState(node, "running");
        node.agentId = event.agentId;
        node.attempts = Math.max(node.attempts, event.attempt);
        node.startedAt ??= event.ts;
        if (event.pattern !== null && event.kind === "composite")
          this.runningPatterns.set(event.nodePath, event.pattern);
        return event.nodePath;
      }
      case "task:retrying": {
        this.closeSpan(event.nodePath, event.ts);
        this.retries++;
        const node = this.node(event.nodePath);
        if (node.state === "running") this.setState(node, "waiting");
        return event.nodePath;
      }
      case "orchestration:paused":
        if (this.state === "running") this.state = "paused";
        return null;
      case "orchestration:resumed":
        if (this.state === "paused") this.state = "running";
        return null;
      case "task:completed":
        this.closeSpan(event.nodePath, event.ts);
        if (event.kind === "compensation") return null;
        if (event.kind === "leaf") this.leavesCompleted++;
        this.end(event.nodePath, "completed", event.ts, null);
        return event.nodePath;
      case "task:failed":
        this.closeSpan(event.nodePath, event.ts);
        if (event.kind === "compensation") return null;
        this.end(event.nodePath, "failed", event.ts, event.error.code);
        return event.nodePath;
      case "task:cancelled":
        this.closeSpan(event.nodePath, event.ts);
        if (event.kind === "compensation") return null;
        this.end(event.nodePath, "cancelled", event.ts, "ECHELON_CANCELLED");
        return event.nodePath;
      case "task:skipped":
        this.end(event.nodePath, "skipped", event.ts, null);
        return event.nodePath;
      case "task:compensated":
        this.compensations++;
        this.end(event.nodePath, "compensated", event.ts, null);
        return event.nodePath;
      case "pattern:completed":
      case "pattern:failed":
        this.runningPatterns.delete(event.nodePath);
        return null;
      default:
        return null;
    }
  }

  /** Number of nodes known (plan nodes plus extra invocations). */
  get total(): number {
    return this.order.length;
  }

  /** Counts of nodes by state. */
  counts(): Record<NodeState, number> {
    const c: Record<NodeState, number> = {
      pending: 0,
      waiting: 0,
      running: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      compensated: 0,
      skipped: 0,
    };
    for (const n of this.order) c[n.state]++;
    return c;
  }

  /** The plan tree with statuses, or `null` before the plan is known. */
  tree(): MonitoredNode | null {
    if (this.order.length === 0) return null;
    const kids = new Map<number, MonitoredNode[]>();
    let root: MonitoredNode | null = null;
    for (let i = this.order.length - 1; i >= 0; i--) {
      const n = this.order[i] as TrackedNode;
      if (!n.inPlan) continue;
      const built: MonitoredNode = {
        path: n.path,
        id: n.id,
        description: n.description,
        depth: n.depth,
        pattern: n.pattern,
        state: n.state,
        agentId: n.agentId,
        attempts: n.attempts,
        startedAt: n.startedAt,
        endedAt: n.endedAt,
        errorCode: n.errorCode,
        children: (kids.get(i) ?? []).reverse(),
      };
      if (n.parent < 0) root = built;
      else {
        const list = kids.get(n.parent) ?? [];
        list.push(built);
        kids.set(n.parent, list);
      }
    }
    return root;
  }

  private closeSpan(path: string, ts: number): void {
    const span = this.openSpans.get(path);
    if (!span) return;
    this.openSpans.delete(path);
    const ms = Math.max(0, ts - span.start);
    this.busyMsByLevel[span.level] = (this.busyMsByLevel[span.level] ?? 0) + ms;
    this.busyMsByAgent[span.agentId] = (this.busyMsByAgent[span.agentId] ?? 0) + ms;
  }

  private finish(result: OrchestrationResult, ts: number): void {
    for (const path of [...this.openSpans.keys()]) this.closeSpan(path, ts);
    this.result = result;
    this.state = result.state;
    this.endedAt = ts;
    this.queued.clear();
    this.runningPatterns.clear();
  }

  private loadPlan(root: PlanNode): void {
    const stack: Array<{ node: PlanNode; parent: number }> = [{ node: root, parent: -1 }];
    while (stack.length > 0) {
      const { node, parent } = stack.pop()!;
      if (this.byPath.has(node.path)) continue;
      const index = this.order.length;
      this.add({
        path: node.path,
        id: node.id,
        description: node.description,
        depth: node.depth,
        pattern: node.pattern,
        parent,
        inPlan: true,
      });
      for (let i = node.children.length - 1; i >= 0; i--)
        stack.push({ node: node.children[i]!, parent: index });
    }
  }

  private add(
    fields: Omit<TrackedNode, "state" | "agentId" | "attempts" | "startedAt" | "endedAt" | "errorCode">,
  ): TrackedNode {
    const node: TrackedNode = {
      ...fields,
      state: "pending",
      agentId: null,
      attempts: 0,
      startedAt: null,
      endedAt: null,
      errorCode: null,
    };
    this.order.push(node);
    this.byPath.set(node.path, node);
    return node;
  }

  /** The node at `path`; an invocation (`path#key`) or unknown path is added as an extra node. */
  private node(path: string): TrackedNode {
    const known = this.byPath.get(path);
    if (known) return known;
    const base = this.byPath.get(path.split("#")[0] ?? path);
    return this.add({
      path,
      id: path.slice(path.lastIndexOf("/") + 1),
      description: base?.description ?? "",
      depth: base?.depth ?? path.split("/").length - 1,
      pattern: base?.pattern ?? null,
      parent: -1,
      inPlan: false,
    });
  }

  private setState(node: TrackedNode, state: NodeState): void {
    if (isFinished(node.state) && !isFinished(state)) this.finishedNodes--;
    if (!isFinished(node.state) && isFinished(state)) this.finishedNodes++;
    node.state = state;
  }

  private end(path: string, state: NodeState, ts: number, errorCode: string | null): void {
    this.queued.delete(path);
    const node = this.node(path);
    this.setState(node, state);
    node.endedAt = ts;
    node.errorCode = errorCode;
    this.runningPatterns.delete(path);
  }
}

import type { EchelonEvent } from "../events/event-map.js";
import type { BusyLookup } from "../metrics/overhead.js";
import type {
  NodeState,
  NodeStatus,
  OrchestrationResult,
  OrchestrationState,
  OrchestrationStatus,
} from "../model/result.js";

interface MutableNode {
  path: string;
  /** Agent busy time of this task (all attempts), ms. Live runs only; not part of the status. */
  busyMs: number;
  state: NodeState;
  agentId: string | null;
  attempts: number;
  startedAt: number | null;
  endedAt: number | null;
  errorCode: string | null;
}

const TERMINAL: ReadonlySet<NodeState> = new Set([
  "completed",
  "failed",
  "cancelled",
  "compensated",
  "skipped",
]);

/**
 * Builds an orchestration's status from its events. The live orchestrator feeds it the very
 * events it emits, and {@link replayOrchestration} feeds it a journal, so replay rebuilds
 * exactly what was observed live.
 */
export class StatusTracker {
  orchestrationId = "";
  taskId = "";
  state: OrchestrationState = "pending";
  totalTasks = 0;
  completedTasks = 0;
  failedTasks = 0;
  cancelledTasks = 0;
  compensatedTasks = 0;
  skippedTasks = 0;
  runningTasks = 0;
  retries = 0;
  startTs: number | null = null;
  endTs: number | null = null;
  result: OrchestrationResult | null = null;
  readonly patternsUsed: string[] = [];
  /** Outputs of completed tasks by path (only kept when `keepOutputs`). */
  readonly outputs = new Map<string, unknown>();
  private readonly nodes = new Map<string, MutableNode>();

  /** @param keepOutputs - keep every task's output (replay does; the live run does not need to) */
  constructor(private readonly keepOutputs = false) {}

  /** Applies one event. */
  apply(event: EchelonEvent): void {
    switch (event.type) {
      case "orchestration:started":
        this.orchestrationId = event.orchestrationId;
        this.taskId = event.taskId;
        this.state = "running";
        this.totalTasks = event.plan.nodeCount;
        this.startTs = event.ts;
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled":
        this.state = event.result.state;
        this.result = event.result;
        this.endTs = event.ts;
        return;
      case "orchestration:paused":
        if (this.state === "running") this.state = "paused";
        return;
      case "orchestration:resumed":
        if (this.state === "paused") this.state = "running";
        return;
      case "task:queued": {
        const node = this.node(event.nodePath, event.kind === "compensation");
        if (!TERMINAL.has(node.state) && node.state !== "running") node.state = "waiting";
        return;
      }
      case "task:started": {
        const node = this.node(event.nodePath, event.kind === "compensation");
        if (TERMINAL.has(node.state)) {
          // The same task runs again (a pattern re-ran it): it counts as one more task.
          this.totalTasks++;
          node.endedAt = null;
          node.errorCode = null;
        }
        if (node.state !== "running") this.runningTasks++;
        node.state = "running";
        node.agentId = event.agentId;
        node.attempts = event.attempt;
        node.startedAt ??= event.ts;
        return;
      }
      case "task:retrying": {
        const node = this.node(event.nodePath, false);
        this.retries++;
        if (node.state === "running") this.runningTasks--;
        node.state = "waiting";
        return;
      }
      case "task:completed": {
        const node = this.end(event.nodePath, "completed", event.ts);
        node.agentId = event.agentId;
        this.completedTasks++;
        if (this.keepOutputs) this.outputs.set(event.nodePath, event.output);
        return;
      }
      case "task:failed": {
        const node = this.end(event.nodePath, "failed", event.ts);
        node.errorCode = event.error.code;
        this.failedTasks++;
        return;
      }
      case "task:cancelled": {
        const node = this.end(event.nodePath, "cancelled", event.ts);
        node.errorCode = "ECHELON_CANCELLED";
        this.cancelledTasks++;
        return;
      }
      case "task:skipped": {
        const node = this.node(event.nodePath, false);
        if (TERMINAL.has(node.state)) return;
        node.state = "skipped";
        node.endedAt = event.ts;
        this.skippedTasks++;
        return;
      }
      case "task:compensated": {
        const node = this.node(event.nodePath, false);
        node.state = "compensated";
        this.compensatedTasks++;
        return;
      }
      case "pattern:started":
        if (!this.patternsUsed.includes(event.pattern)) this.patternsUsed.push(event.pattern);
        return;
      default:
        return;
    }
  }

  /** Adds agent busy time to a started task (used for the overhead lower bound). */
  addBusy(path: string, ms: number): void {
    const node = this.nodes.get(path);
    if (node !== undefined) node.busyMs += ms;
  }

  /**
   * Agent busy time by plan node: the total, and a lookup that folds invocations
   * (`path#key`) into their node — without an allocation per node.
   */
  busyTimes(): { readonly totalMs: number; readonly lookup: BusyLookup } {
    let totalMs = 0;
    const folded = new Map<string, { maxMs: number; invocations: number }>();
    for (const [path, n] of this.nodes) {
      if (n.busyMs <= 0) continue;
      totalMs += n.busyMs;
      const hash = path.indexOf("#");
      if (hash < 0) continue;
      const base = path.slice(0, hash);
      const entry = folded.get(base) ?? { maxMs: 0, invocations: 0 };
      entry.maxMs = Math.max(entry.maxMs, n.busyMs);
      entry.invocations++;
      folded.set(base, entry);
    }
    const nodes = this.nodes;
    const lookup: BusyLookup = {
      busiestMs(path) {
        const own = nodes.get(path)?.busyMs ?? 0;
        const more = folded.get(path);
        return more === undefined ? own : Math.max(own, more.maxMs);
      },
      invocations(path) {
        const own = (nodes.get(path)?.busyMs ?? 0) > 0 ? 1 : 0;
        return own + (folded.get(path)?.invocations ?? 0);
      },
    };
    return { totalMs, lookup };
  }

  /** The status snapshot. */
  snapshot(now: number = performance.now()): OrchestrationStatus {
    const done = this.completedTasks + this.failedTasks + this.cancelledTasks + this.skippedTasks;
    const finished = this.state === "completed" || this.state === "failed" || this.state === "cancelled";
    const nodes: Record<string, NodeStatus> = {};
    for (const [path, n] of this.nodes) {
      nodes[path] = {
        path,
        state: n.state,
        agentId: n.agentId,
        attempts: n.attempts,
        startedAt: n.startedAt,
        endedAt: n.endedAt,
        errorCode: n.errorCode,
      };
    }
    return {
      orchestrationId: this.orchestrationId,
      taskId: this.taskId,
      state: this.state,
      totalTasks: this.totalTasks,
      completedTasks: this.completedTasks,
      failedTasks: this.failedTasks,
      runningTasks: this.runningTasks,
      cancelledTasks: this.cancelledTasks,
      skippedTasks: this.skippedTasks,
      progress: finished ? 100 : this.totalTasks === 0 ? 0 : Math.min(100, (100 * done) / this.totalTasks),
      elapsedMs: this.startTs === null ? 0 : (this.endTs ?? now) - this.startTs,
      nodes,
    };
  }

  private node(path: string, extra: boolean): MutableNode {
    let node = this.nodes.get(path);
    if (node === undefined) {
      node = {
        path,
        busyMs: 0,
        state: "pending",
        agentId: null,
        attempts: 0,
        startedAt: null,
        endedAt: null,
        errorCode: null,
      };
      this.nodes.set(path, node);
      // Invocations (`path#key`) and compensations are tasks beyond the plan's nodes.
      if (extra || path.includes("#")) this.totalTasks++;
    }
    return node;
  }

  private end(path: string, state: NodeState, ts: number): MutableNode {
    const node = this.node(path, path.endsWith(":compensate"));
    if (node.state === "running") this.runningTasks--;
    node.state = state;
    node.endedAt = ts;
    return node;
  }
}

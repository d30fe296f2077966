import {
  applyRunEvent,
  createRunState,
  type EchelonEvent,
  isFinalTaskState,
  type NodeState,
  type NodeStatus,
  type RunState,
} from "@echelon/core";
import { planTree, runningPatterns } from "./plan-tree.js";
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
    return runningPatterns(this.state);
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
   * The plan tree with every node's state, or `null` before the plan is known (see
   * {@link planTree}).
   */
  tree(): MonitoredNode | null {
    return planTree(this.state);
  }
}

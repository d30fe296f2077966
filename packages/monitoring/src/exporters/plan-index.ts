import { applyRunEvent, createRunState, type EchelonEvent, NodePath, type RunState } from "@echelon/core";

/**
 * @internal What exporters need to label events, read from core's run-state fold (one state
 * per running orchestration, dropped when it ends): each task's pattern, level and agent type.
 * Paths are taken apart only by core's `NodePath`.
 */
export class PlanIndex {
  private readonly runs = new Map<string, RunState>();

  /** Applies one event (call first, before labelling it). */
  apply(event: EchelonEvent): void {
    if (event.orchestrationId === "") return;
    let state = this.runs.get(event.orchestrationId);
    if (state === undefined) {
      state = createRunState(event.orchestrationId);
      this.runs.set(event.orchestrationId, state);
    }
    applyRunEvent(state, event);
  }

  /** Forgets an ended orchestration (call after labelling its terminal event). */
  end(orchestrationId: string): void {
    this.runs.delete(orchestrationId);
  }

  /** Pattern label of a node: its own pattern if composite, else its parent's; `none` when unknown. */
  patternOf(orchestrationId: string, nodePath: string): string {
    const state = this.runs.get(orchestrationId);
    if (state === undefined) return "none";
    const task = NodePath.compensated(nodePath) ?? nodePath;
    const own = state.tasks[task]?.pattern;
    if (own !== undefined && own !== null) return own;
    const parent = NodePath.parent(task);
    return (parent === null ? null : state.tasks[parent]?.pattern) ?? "none";
  }

  /** Level name of a node: where it ran, else from its depth. */
  levelOf(orchestrationId: string, nodePath: string): string {
    const state = this.runs.get(orchestrationId);
    const ran = state?.tasks[nodePath]?.level;
    if (ran !== undefined && ran !== null) return ran;
    const depth = NodePath.depth(NodePath.taskPath(nodePath));
    return state?.levels[depth] ?? `depth-${depth}`;
  }

  /** Agent type and level recorded when the task started; `unknown` when not seen. */
  taskOf(orchestrationId: string, nodePath: string): { agentType: string; level: string } {
    const task = this.runs.get(orchestrationId)?.tasks[nodePath];
    return {
      agentType: task?.agentType ?? "unknown",
      level: task?.level ?? this.levelOf(orchestrationId, nodePath),
    };
  }
}

import type { EchelonEvent, PlanNode } from "@echelon/core";

interface RunInfo {
  readonly levels: readonly string[];
  /** Pattern of every composite node, by path. */
  readonly patterns: Map<string, string>;
  /** Agent type and level of each running task (from `task:started`), by node path + kind. */
  readonly tasks: Map<string, { agentType: string; level: string }>;
}

/** The plan node path a (possibly invocation or compensation) event path refers to. */
export function basePath(nodePath: string): string {
  const hash = nodePath.indexOf("#");
  const p = hash >= 0 ? nodePath.slice(0, hash) : nodePath;
  return p.endsWith(":compensate") ? p.slice(0, -":compensate".length) : p;
}

/** The parent's path of a plan path, or `null` for the root. */
export function parentPath(path: string): string | null {
  const i = path.lastIndexOf("/");
  return i < 0 ? null : path.slice(0, i);
}

/**
 * @internal What exporters need to label events: levels and each composite node's pattern
 * (from `orchestration:started`), and each running task's agent type. Dropped when the
 * orchestration ends.
 */
export class PlanIndex {
  private readonly runs = new Map<string, RunInfo>();

  /** Applies one event (call first, before labelling it). */
  apply(event: EchelonEvent): void {
    if (event.type === "orchestration:started") {
      const patterns = new Map<string, string>();
      const stack: PlanNode[] = [event.plan.root];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.pattern !== null) patterns.set(n.path, n.pattern);
        for (const c of n.children) stack.push(c);
      }
      this.runs.set(event.orchestrationId, { levels: event.levels, patterns, tasks: new Map() });
    } else if (event.type === "task:started") {
      this.run(event.orchestrationId).tasks.set(`${event.nodePath}\u0000${event.kind}`, {
        agentType: event.agentType,
        level: event.level,
      });
    }
  }

  /** Forgets an ended orchestration (call after labelling its terminal event). */
  end(orchestrationId: string): void {
    this.runs.delete(orchestrationId);
  }

  /** Pattern label of a node: its own pattern if composite, else its parent's; `none` when unknown. */
  patternOf(orchestrationId: string, nodePath: string): string {
    const run = this.runs.get(orchestrationId);
    const base = basePath(nodePath);
    const own = run?.patterns.get(base);
    if (own !== undefined) return own;
    const parent = parentPath(base);
    return (parent !== null ? run?.patterns.get(parent) : undefined) ?? "none";
  }

  /** Level name of a node path from its depth. */
  levelOf(orchestrationId: string, nodePath: string): string {
    const depth = basePath(nodePath).split("/").length - 1;
    return this.runs.get(orchestrationId)?.levels[depth] ?? `depth-${depth}`;
  }

  /** Agent type and level recorded when the task started; `unknown` when not seen. */
  taskOf(orchestrationId: string, nodePath: string, kind: string): { agentType: string; level: string } {
    return (
      this.runs.get(orchestrationId)?.tasks.get(`${nodePath}\u0000${kind}`) ?? {
        agentType: "unknown",
        level: this.levelOf(orchestrationId, nodePath),
      }
    );
  }

  private run(orchestrationId: string): RunInfo {
    let run = this.runs.get(orchestrationId);
    if (!run) {
      run = { levels: [], patterns: new Map(), tasks: new Map() };
      this.runs.set(orchestrationId, run);
    }
    return run;
  }
}

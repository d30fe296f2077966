import type { EchelonEventMap, EchelonEventName } from "../events/event-map.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { PlanNode } from "../model/task.js";
import type {
  CompensateChildOptions,
  PatternChild,
  PatternContext,
  RunChildOptions,
} from "../patterns/pattern.js";
import { NodePath } from "../run-state/node-path.js";
import { combineSignals, followsSignal } from "../util/abort.js";
import type { Logger } from "../util/logger.js";
import { runLeaf } from "./leaf-runner.js";
import type { NodeCall } from "./node-dispatcher.js";
import { runNode } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** Turns a plan node into the child a pattern sees. */
export function nodeToChild(node: PlanNode): PatternChild {
  return {
    id: node.id,
    description: node.description,
    input: node.input,
    dependsOn: node.dependsOn,
    capabilities: node.capabilities,
    priority: node.priority,
    composite: node.children.length > 0,
    hasCompensation: node.compensate !== null,
    metadata: node.metadata,
  };
}

/** A composite's children as patterns see them, with the way back to the plan nodes. */
interface ChildViews {
  readonly children: readonly PatternChild[];
  readonly nodeOf: ReadonlyMap<PatternChild, PlanNode>;
}

/** Plan nodes are immutable: their children's views are built once per node, not once per run. */
const views = new WeakMap<PlanNode, ChildViews>();

/**
 * The children of a composite plan node as patterns see them (built once per frozen node).
 *
 * @param node - a composite plan node
 * @returns its children's views, in plan order
 */
export function childViews(node: PlanNode): readonly PatternChild[] {
  return viewsOf(node).children;
}

function viewsOf(node: PlanNode): ChildViews {
  const known = views.get(node);
  if (known !== undefined) return known;
  const nodeOf = new Map<PatternChild, PlanNode>();
  const children = node.children.map((c) => {
    const child = Object.freeze(nodeToChild(c));
    nodeOf.set(child, c);
    return child;
  });
  const made = { children: Object.freeze(children), nodeOf };
  if (Object.isFrozen(node)) views.set(node, made);
  return made;
}

/**
 * The {@link PatternContext} of one composite node in one run: it maps the children a pattern
 * hands back to plan nodes, builds their paths (invocations and compensations through
 * {@link NodePath}) and runs them through the node dispatcher.
 */
export class NodePatternContext implements PatternContext {
  readonly orchestrationId: string;
  readonly nodePath: string;
  readonly input: unknown;
  readonly options: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The children as the pattern sees them, in plan order. */
  readonly children: readonly PatternChild[];
  private readonly nodeOf: ReadonlyMap<PatternChild, PlanNode>;
  private childById: Map<string, PlanNode> | undefined;
  /** True when this node runs at its plan path (not under an invocation). */
  private readonly atPlanPath: boolean;

  constructor(
    private readonly run: OrchestrationRun,
    private readonly node: PlanNode,
    private readonly call: NodeCall,
    readonly concurrency: number,
  ) {
    this.orchestrationId = run.id;
    this.nodePath = call.path;
    this.atPlanPath = call.path === node.path;
    this.input = call.input;
    this.options = node.patternOptions;
    this.signal = call.signal;
    this.logger = run.runtime.logger;
    const { children, nodeOf } = viewsOf(node);
    this.children = children;
    this.nodeOf = nodeOf;
  }

  emit<K extends EchelonEventName>(type: K, payload: EchelonEventMap[K]): void {
    this.run.recorder.record(type, this.nodePath, payload);
  }

  // Not async on purpose: returning runNode's promise directly saves microtask hops per child.
  runChild(child: PatternChild, options: RunChildOptions = {}): Promise<unknown> {
    let target: PlanNode;
    let path: string;
    try {
      target = this.planNode(child);
      path = this.pathOf(target, options.invocation);
    } catch (error) {
      return Promise.reject(error);
    }
    const input = "input" in options ? options.input : target.input;
    const own = options.signal;
    if (own === undefined || own === this.signal || followsSignal(own, this.signal)) {
      // A pattern's own signal made with linkedController already follows ours: no need to combine.
      return runNode(this.run, target, {
        path,
        input,
        signal: own ?? this.signal,
        strategy: this.call.strategy,
      });
    }
    const link = combineSignals(this.signal, own);
    return runNode(this.run, target, {
      path,
      input,
      signal: link.signal,
      strategy: this.call.strategy,
    }).finally(() => link.dispose());
  }

  async compensateChild(
    child: PatternChild,
    output: unknown,
    options: CompensateChildOptions = {},
  ): Promise<unknown> {
    const target = this.planNode(child);
    const compensation = target.compensate;
    const taskPath = this.pathOf(target, options.invocation);
    // Resumed: a compensation whose completion was journaled is not run again.
    const replayed = this.run.replay?.finished(NodePath.compensation(taskPath));
    if (replayed?.kind === "output") {
      if (!this.run.replay!.compensated(taskPath)) {
        this.run.recorder.record("task:compensated", taskPath, {
          taskId: target.id,
          output: replayed.output,
        });
      }
      return replayed.output;
    }
    if (compensation === null) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_FAILED,
        `Task "${taskPath}" declares no compensation; add a "compensate" task to it.`,
        { details: { nodePath: taskPath } },
      );
    }
    const result = await runLeaf(
      this.run,
      compensation,
      {
        path: NodePath.compensation(taskPath),
        input: { output, input: compensation.input },
        signal: this.run.control.uncancellable,
        strategy: this.call.strategy,
      },
      "compensation",
    );
    this.run.recorder.record("task:compensated", taskPath, { taskId: target.id, output: result });
    return result;
  }

  markCompensated(child: PatternChild, output: unknown, options: CompensateChildOptions = {}): void {
    const target = this.planNode(child);
    const path = this.pathOf(target, options.invocation);
    if (this.run.replay?.compensated(path)) return;
    this.run.recorder.record("task:compensated", path, {
      taskId: target.id,
      output: output ?? null,
    });
  }

  wasCompensated(child: PatternChild, options: CompensateChildOptions = {}): boolean {
    return this.run.replay?.compensated(this.pathOf(this.planNode(child), options.invocation)) ?? false;
  }

  skipChild(child: PatternChild, reason: string): void {
    const target = this.planNode(child);
    const path = this.pathOf(target, undefined);
    // A child left out because the run (or this node) is being cancelled is cancelled, not skipped:
    // skipped means the pattern decided not to run it.
    if (this.signal.aborted) {
      this.run.recorder.record("task:cancelled", path, { taskId: target.id, kind: kindOf(target), reason });
    } else {
      this.run.recorder.record("task:skipped", path, { taskId: target.id, reason });
    }
  }

  journaledOutput(child: PatternChild): { readonly output: unknown } | undefined {
    const replay = this.run.replay;
    if (replay === null) return undefined;
    // Only children handed back as given: anything else goes through runChild, which reports it.
    const target = this.nodeOf.get(child);
    if (target === undefined) return undefined;
    const done = replay.finished(this.pathOf(target, undefined));
    return done?.kind === "output" ? done : undefined;
  }

  private pathOf(target: PlanNode, invocation: string | undefined): string {
    // At its plan path, a child's path is the plan node's own (validated) path: reusing that
    // string saves building and hashing a new one per child (a resume looks each one up).
    if (
      invocation === undefined &&
      this.atPlanPath &&
      target.path.length === this.nodePath.length + 1 + target.id.length
    )
      return target.path;
    const path = NodePath.child(this.nodePath, target.id);
    return invocation === undefined ? path : NodePath.invocation(path, invocation);
  }

  /** Patterns hand back the child objects they were given: found by identity, by id otherwise. */
  private planNode(child: PatternChild): PlanNode {
    const same = this.nodeOf.get(child);
    if (same !== undefined) return same;
    this.childById ??= new Map(this.node.children.map((c) => [c.id, c]));
    const found = child === null || typeof child !== "object" ? undefined : this.childById.get(child.id);
    if (found === undefined) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_FAILED,
        `Pattern "${this.node.pattern}" asked to run "${String((child as PatternChild | null)?.id)}", which is not a child of "${this.nodePath}".`,
        {
          details: {
            pattern: this.node.pattern,
            nodePath: this.nodePath,
            child: String((child as PatternChild | null)?.id),
          },
        },
      );
    }
    return found;
  }
}

function kindOf(node: PlanNode): "leaf" | "composite" {
  return node.children.length === 0 ? "leaf" : "composite";
}

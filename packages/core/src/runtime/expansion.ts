import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Expander } from "../expansion/expander.js";
import type { Plan, PlanNode, TaskSpec } from "../model/task.js";
import { preflight } from "../orchestrator/preflight.js";
import { atPath, renderTaskTemplate } from "../plan/expand-template.js";
import { hookFailed, type Registered } from "../plugins/registrations.js";
import { NodePath } from "../run-state/node-path.js";
import { boundedExpansion } from "./expansion-bounds.js";
import type { NodeCall } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** How an orchestrator lets nodes grow at run time. */
export interface ExpansionSettings {
  /** Most children one expansion may make. */
  readonly maxChildren: number;
  /** Most tasks all expansions of one run may add. */
  readonly maxTasks: number;
  /** Expanders registered by plugins, by name. */
  readonly expanders: ReadonlyMap<string, Registered<Expander>>;
  /** Plans a subtree (a root spec and its children) with the orchestrator's rules (validation, pattern choice). */
  readonly planSubtree: (spec: TaskSpec, maxDepth: number) => Plan;
  /** The orchestrator's decomposer, for `using: "decompose"`; `null` when none is installed. */
  readonly decompose:
    | ((spec: TaskSpec, maxDepth: number, signal: AbortSignal, orchestrationId: string) => Promise<Plan>)
    | null;
}

/** What an expansion made: the pattern and the children (already at their real paths and depths). */
interface Made {
  readonly pattern: string | null;
  readonly patternOptions: Readonly<Record<string, unknown>>;
  readonly children: readonly PlanNode[];
}

function invalid(
  path: string,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): EchelonError {
  return new EchelonError(CoreErrorCode.EXPANSION_INVALID, `The expansion of "${path}" ${message}`, {
    ...(cause !== undefined ? { cause } : {}),
    details: { nodePath: path, ...details },
  });
}

/** Puts a subtree planned on its own at its real place: paths under `parentPath`, depths shifted. */
function graft(nodes: readonly PlanNode[], parentPath: string, depthOffset: number): PlanNode[] {
  return nodes.map((n) => {
    const path = NodePath.child(parentPath, n.id);
    return Object.freeze({
      ...n,
      path,
      depth: n.depth + depthOffset,
      children: Object.freeze(graft(n.children, path, depthOffset)),
      compensate:
        n.compensate === null
          ? null
          : Object.freeze({
              ...n.compensate,
              path: NodePath.compensation(path),
              depth: n.compensate.depth + depthOffset,
            }),
    });
  });
}

function countTasks(nodes: readonly PlanNode[]): number {
  let n = 0;
  const stack = [...nodes];
  while (stack.length > 0) {
    const node = stack.pop()!;
    n++;
    for (const c of node.children) stack.push(c);
  }
  return n;
}

/** The node as it runs once grown: its pattern and children from the expansion, nothing left to expand. */
export function grownNode(node: PlanNode, made: Made): PlanNode {
  return Object.freeze({
    ...node,
    pattern: made.pattern,
    patternOptions: made.patternOptions,
    children: Object.freeze([...made.children]),
    expand: null,
  });
}

/**
 * Makes the children of a node that expands, when it is reached: from its template over a list
 * in its input, from an expander plugin, or from the decomposer. The children are validated like
 * any plan, bounded, checked for agents and pattern options, and recorded as `plan:expanded`
 * before any of them starts. A resumed run (or a re-run of the same path) finds the recorded
 * expansion and never expands twice.
 *
 * @returns the grown node (pattern `null` when a decomposition found nothing to split: a leaf)
 * @throws EchelonError `ECHELON_EXPANSION_INVALID`, `ECHELON_EXPANSION_TOO_MANY_CHILDREN`, `ECHELON_EXPANSION_LIMIT`,
 *   `ECHELON_EXPANDER_UNKNOWN`, `ECHELON_AGENT_NO_CAPABILITY`, pattern option codes
 */
export async function expandNode(run: OrchestrationRun, node: PlanNode, call: NodeCall): Promise<PlanNode> {
  const recorded = run.replay?.expansion(call.path) ?? run.state.expansions[call.path];
  if (recorded !== undefined) return grownNode(node, recorded);
  const settings = run.runtime.expansion;
  if (settings === null)
    throw invalid(call.path, "cannot run here: this runtime does not expand nodes (PatternExecutor).");
  const made = await boundedExpansion(run, node, call, (signal) =>
    make(run, node, { ...call, signal }, settings),
  );
  const tasks = countTasks(made.children);
  if (run.state.expandedTasks + tasks > settings.maxTasks) {
    throw new EchelonError(
      CoreErrorCode.EXPANSION_LIMIT,
      `The expansion of "${call.path}" would add ${tasks} tasks; the run already added ${run.state.expandedTasks} and may add at most ${settings.maxTasks} (the orchestrator's expansion.maxTasks). Raise the limit or split the work.`,
      {
        details: {
          nodePath: call.path,
          adding: tasks,
          added: run.state.expandedTasks,
          maxTasks: settings.maxTasks,
        },
      },
    );
  }
  const grown = grownNode(node, made);
  // No child: nothing needs an agent (a childless node with a pattern is not a leaf).
  if (grown.pattern !== null && grown.children.length > 0) {
    preflight(
      { taskId: node.id, root: grown, nodeCount: tasks + 1, leafCount: 1, depth: 0, source: "expansion" },
      run.runtime,
    );
  }
  run.recorder.record("plan:expanded", call.path, {
    taskId: node.id,
    pattern: made.pattern,
    patternOptions: made.patternOptions,
    children: made.children,
    tasks,
  });
  return grown;
}

async function make(
  run: OrchestrationRun,
  node: PlanNode,
  call: NodeCall,
  settings: ExpansionSettings,
): Promise<Made> {
  const spec = node.expand!;
  const levelsBelow = run.runtime.levels.length - 1 - node.depth;
  const max = Math.min(spec.maxChildren ?? settings.maxChildren, settings.maxChildren);
  if (spec.using === "decompose") return decomposed(run, node, call, settings, levelsBelow, max);
  let pattern = node.pattern;
  let patternOptions = node.patternOptions;
  let children: readonly TaskSpec[];
  if (spec.each !== undefined) {
    const list = atPath(call.input, spec.items ?? "");
    if (!Array.isArray(list)) {
      const where = spec.items === undefined || spec.items === "" ? "its input" : `input.${spec.items}`;
      throw invalid(
        call.path,
        `needs a list at ${where}, but found ${list === null ? "null" : Array.isArray(list) ? "a list" : typeof list}. Point expand.items at a list, or feed the node one.`,
        { items: spec.items ?? "" },
      );
    }
    tooMany(call.path, list.length, max);
    children = list.map((item, i) => {
      const rendered = renderTaskTemplate(spec.each, item, i) as Record<string, unknown>;
      return (rendered.id === undefined ? { id: `item-${i}`, ...rendered } : rendered) as unknown as TaskSpec;
    });
  } else {
    const registered = settings.expanders.get(spec.using!);
    if (registered === undefined) throw unknownExpander(call.path, spec.using!, settings);
    let expansion: Awaited<ReturnType<Expander["expand"]>>;
    try {
      expansion = await registered.value.expand({
        orchestrationId: run.id,
        nodePath: call.path,
        description: node.description,
        input: call.input,
        capabilities: node.capabilities,
        metadata: node.metadata,
        levelsBelow,
        maxChildren: max,
        signal: call.signal,
        logger: run.runtime.logger,
      });
    } catch (error) {
      if (error instanceof EchelonError) throw error;
      throw hookFailed(registered.plugin, "expand", error, { expander: spec.using, nodePath: call.path });
    }
    if (expansion === null || typeof expansion !== "object" || !Array.isArray(expansion.children)) {
      throw hookFailed(
        registered.plugin,
        "expand",
        `expander "${spec.using}" returned no { children: [...] }`,
        { nodePath: call.path },
      );
    }
    tooMany(call.path, expansion.children.length, max);
    children = expansion.children;
    pattern = expansion.pattern ?? pattern;
    patternOptions = expansion.patternOptions ?? patternOptions;
  }
  // Nothing to do (an empty list is common): the node's pattern runs on no child.
  if (children.length === 0 && pattern !== null) return { pattern, patternOptions, children: [] };
  const plan = planOf(
    call.path,
    settings,
    {
      id: node.id,
      description: node.description,
      ...(pattern !== null ? { pattern } : {}),
      ...(Object.keys(patternOptions).length > 0 ? { patternOptions } : {}),
      children,
    },
    levelsBelow,
  );
  return {
    pattern: plan.root.pattern,
    patternOptions: plan.root.patternOptions,
    children: graft(plan.root.children, call.path, node.depth),
  };
}

async function decomposed(
  run: OrchestrationRun,
  node: PlanNode,
  call: NodeCall,
  settings: ExpansionSettings,
  levelsBelow: number,
  max: number,
): Promise<Made> {
  if (settings.decompose === null) {
    throw invalid(
      call.path,
      'names expand.using "decompose", but no decomposer is installed. Install one (the echelon package has it).',
    );
  }
  const plan = await settings.decompose(
    {
      description: node.description,
      ...(node.input !== null ? { input: node.input } : {}),
      ...(node.capabilities.length > 0 ? { capabilities: node.capabilities } : {}),
      ...(node.priority !== 0 ? { priority: node.priority } : {}),
      ...(node.timeoutMs !== null ? { timeoutMs: node.timeoutMs } : {}),
      ...(node.retry !== null ? { retry: node.retry } : {}),
      ...(Object.keys(node.metadata).length > 0 ? { metadata: node.metadata } : {}),
    },
    levelsBelow,
    call.signal,
    run.id,
  );
  tooMany(call.path, plan.root.children.length, max);
  if (plan.root.children.length === 0)
    return { pattern: null, patternOptions: node.patternOptions, children: [] };
  return {
    pattern: plan.root.pattern,
    patternOptions: plan.root.patternOptions,
    children: graft(plan.root.children, call.path, node.depth),
  };
}

function planOf(path: string, settings: ExpansionSettings, spec: TaskSpec, levelsBelow: number): Plan {
  try {
    return settings.planSubtree(spec, levelsBelow);
  } catch (error) {
    if (!(error instanceof EchelonError)) throw error;
    const details =
      error.details.issues !== undefined ? { issues: error.details.issues } : { ...error.details };
    throw invalid(
      path,
      `made children that are not a valid plan: ${error.message}`,
      { cause: error.code, ...details },
      error,
    );
  }
}

function tooMany(path: string, count: number, max: number): void {
  if (count <= max) return;
  throw new EchelonError(
    CoreErrorCode.EXPANSION_TOO_MANY_CHILDREN,
    `The expansion of "${path}" made ${count} children; at most ${max} are allowed (expand.maxChildren, the orchestrator's expansion.maxChildren). Group the items, or raise the bound.`,
    { details: { nodePath: path, children: count, maxChildren: max } },
  );
}

function unknownExpander(path: string, name: string, settings: ExpansionSettings): EchelonError {
  const known = [...settings.expanders.keys()];
  return new EchelonError(
    CoreErrorCode.EXPANDER_UNKNOWN,
    `"${path}" expands using "${name}", which no plugin registers. Known: ${known.length > 0 ? known.join(", ") : "none"} (and "decompose").`,
    { details: { nodePath: path, expander: name, known } },
  );
}

import type { Complexity, ExpandSpec, Plan, PlanNode, RetryPolicy } from "../model/task.js";
import { complexityForHeight } from "./complexity.js";
import type { TreeRecord } from "./tree.js";

/** Everything a {@link PlanNode} needs beyond what the tree records hold. @internal */
export interface NodeDraft {
  readonly description: string;
  readonly input: unknown;
  readonly pattern: string | null;
  readonly patternOptions: Readonly<Record<string, unknown>>;
  readonly capabilities: readonly string[];
  readonly priority: number;
  readonly timeoutMs: number | null;
  readonly retry: RetryPolicy | null;
  readonly strategy: string | null;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** How the node expands at run time, or `null`. */
  readonly expand: ExpandSpec | null;
  /** Given complexity (validatePlan); `null` → computed from the subtree height. */
  readonly complexity: Complexity | null;
}

const builtHere = new WeakSet<Plan>();

/**
 * True for a plan this module built (frozen, already checked): `validatePlan` then only checks
 * it against the caller's limits and patterns instead of reading it again. @internal
 */
export function isBuiltPlan(value: unknown): value is Plan {
  return typeof value === "object" && value !== null && builtHere.has(value as Plan);
}

/** An empty frozen object and array shared by nodes that have none. @internal */
export const EMPTY_OBJECT: Readonly<Record<string, unknown>> = Object.freeze({});
const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** Heights of every record's subtree (compensations count as leaves), bottom-up. @internal */
export function subtreeHeights<P>(records: readonly TreeRecord<P>[]): Int32Array {
  const heights = new Int32Array(records.length);
  for (let at = records.length - 1; at >= 0; at--) {
    const record = records[at]!;
    if (record.parent < 0 || record.kind === "compensate") continue;
    const parent = record.parent;
    heights[parent] = Math.max(heights[parent]!, heights[at]! + 1);
  }
  return heights;
}

/**
 * Builds the frozen plan bottom-up from validated records (no recursion).
 *
 * @internal
 */
export function buildPlan<P>(
  records: readonly TreeRecord<P>[],
  drafts: readonly NodeDraft[],
  source: string,
): Plan {
  const heights = subtreeHeights(records);
  const nodes = new Array<PlanNode>(records.length);
  let nodeCount = 0;
  let leafCount = 0;
  let depth = 0;
  for (let at = records.length - 1; at >= 0; at--) {
    const record = records[at]!;
    const draft = drafts[at]!;
    if (record.kind === "task") {
      nodeCount += 1;
      if (record.children.length === 0) leafCount += 1;
      depth = Math.max(depth, record.depth);
    }
    nodes[at] = Object.freeze({
      id: record.id,
      path: record.nodePath,
      description: draft.description,
      input: draft.input,
      depth: record.depth,
      complexity: draft.complexity ?? complexityForHeight(heights[at]!),
      pattern: record.children.length === 0 && draft.expand === null ? null : draft.pattern,
      patternOptions: draft.patternOptions,
      capabilities: draft.capabilities.length === 0 ? EMPTY_LIST : Object.freeze([...draft.capabilities]),
      priority: draft.priority,
      dependsOn: record.dependsOn.length === 0 ? EMPTY_LIST : Object.freeze([...record.dependsOn]),
      children:
        record.children.length === 0 ? EMPTY_LIST : Object.freeze(record.children.map((c) => nodes[c]!)),
      compensate: record.compensate < 0 ? null : nodes[record.compensate]!,
      timeoutMs: draft.timeoutMs,
      retry: draft.retry === null ? null : Object.freeze({ ...draft.retry }),
      strategy: draft.strategy,
      metadata: draft.metadata,
      expand: draft.expand,
    });
  }
  const root = nodes[0]!;
  const plan: Plan = Object.freeze({ taskId: root.id, root, nodeCount, leafCount, depth, source });
  builtHere.add(plan);
  return plan;
}

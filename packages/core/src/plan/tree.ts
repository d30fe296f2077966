import type { SpecIssue } from "./issues.js";
import { COMPENSATE_SUFFIX } from "./schema.js";
import { indexPath, keyPath } from "./paths.js";

/**
 * One node of a spec or plan being validated, kept in a flat array in pre-order (every node
 * after its parent), so later passes can run forwards (top-down) or backwards (bottom-up)
 * without recursion.
 *
 * @internal
 */
export interface TreeRecord<P> {
  /** Issue path of the node (`children[1].compensate`). */
  readonly path: string;
  readonly depth: number;
  /** Index of the parent record (owner for a compensation); -1 for the root. */
  readonly parent: number;
  /** Position among the parent's children; -1 for the root and compensations. */
  readonly index: number;
  readonly kind: "task" | "compensate";
  /** A syntactically valid id given in the input, if any. */
  readonly explicitId: string | undefined;
  /** `dependsOn` entries that are strings. */
  readonly dependsOn: readonly string[];
  /** The parsed node, or `null` when it had issues. */
  readonly payload: P | null;
  readonly children: number[];
  compensate: number;
  /** Final id and plan path, set by {@link linkSiblings}. */
  id: string;
  nodePath: string;
  /** Record indices of the siblings this node depends on, set by {@link linkSiblings}. */
  readonly deps: number[];
}

/** Adds a record to the array and links it to its parent. @internal */
export function addRecord<P>(
  records: TreeRecord<P>[],
  init: Omit<TreeRecord<P>, "children" | "compensate" | "id" | "nodePath" | "deps">,
): number {
  const at = records.length;
  records.push({
    path: init.path,
    depth: init.depth,
    parent: init.parent,
    index: init.index,
    kind: init.kind,
    explicitId: init.explicitId,
    dependsOn: init.dependsOn,
    payload: init.payload,
    children: [],
    compensate: -1,
    id: "",
    nodePath: "",
    deps: [],
  });
  if (init.parent >= 0) {
    const parent = records[init.parent]!;
    if (init.kind === "task") parent.children.push(at);
    else parent.compensate = at;
  }
  return at;
}

/**
 * Top-down pass: gives every node its final id (explicit, or `${index + 1}` made unique among
 * siblings) and plan path, reports duplicate sibling ids and resolves `dependsOn`.
 *
 * @internal
 */
export function linkSiblings<P>(records: TreeRecord<P>[], issues: SpecIssue[]): void {
  for (const record of records) {
    if (record.parent === -1) {
      record.id = record.explicitId ?? "root";
      record.nodePath = record.id;
      record.dependsOn.forEach((dep, j) => {
        issues.push({
          path: indexPath(keyPath(record.path, "dependsOn"), j),
          message: `unknown task "${dep}" (the root task has no siblings)`,
        });
      });
    }
    if (record.compensate >= 0) {
      const compensation = records[record.compensate]!;
      compensation.id = `${record.id}${COMPENSATE_SUFFIX}`;
      compensation.nodePath = `${record.nodePath}${COMPENSATE_SUFFIX}`;
    }
    if (record.children.length > 0) linkChildren(records, record, issues);
  }
}

function linkChildren<P>(records: TreeRecord<P>[], parent: TreeRecord<P>, issues: SpecIssue[]): void {
  const byId = new Map<string, number>();
  for (const at of parent.children) {
    const child = records[at]!;
    if (child.explicitId === undefined) continue;
    const first = byId.get(child.explicitId);
    if (first === undefined) byId.set(child.explicitId, at);
    else {
      issues.push({
        path: keyPath(child.path, "id"),
        message: `duplicate id "${child.explicitId}" (also used by ${records[first]!.path})`,
      });
    }
  }
  for (const at of parent.children) {
    const child = records[at]!;
    let id = child.explicitId;
    if (id === undefined) {
      const base = String(child.index + 1);
      id = base;
      for (let n = 2; byId.has(id); n++) id = `${base}-${n}`;
      byId.set(id, at);
    }
    child.id = id;
    child.nodePath = `${parent.nodePath}/${id}`;
  }
  for (const at of parent.children) {
    const child = records[at]!;
    const deps = child.dependsOn;
    for (let j = 0; j < deps.length; j++) {
      const dep = deps[j]!;
      const target = byId.get(dep);
      let message: string | null = null;
      if (dep === child.id) message = "a task cannot depend on itself";
      else if (deps.indexOf(dep) < j) message = `duplicate dependency "${dep}"`;
      else if (target === undefined) message = `unknown task "${dep}"`;
      else child.deps.push(target);
      if (message !== null) issues.push({ path: indexPath(keyPath(child.path, "dependsOn"), j), message });
    }
  }
}

/**
 * Finds the first `dependsOn` cycle among siblings (iterative depth-first search).
 *
 * @returns the parent record and the cycle's ids, the first repeated at the end; or `null`
 * @internal
 */
export function findCycle<P>(records: readonly TreeRecord<P>[]): { parent: number; cycle: string[] } | null {
  const colour = new Uint8Array(records.length); // 0 new, 1 on the stack, 2 done
  for (let start = 0; start < records.length; start++) {
    if (colour[start] !== 0 || records[start]!.deps.length === 0) continue;
    const stack: Array<[number, number]> = [[start, 0]];
    colour[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = records[top[0]]!.deps;
      if (top[1] >= deps.length) {
        colour[top[0]] = 2;
        stack.pop();
        continue;
      }
      const next = deps[top[1]++]!;
      if (colour[next] === 1) {
        const from = stack.findIndex(([at]) => at === next);
        const cycle = stack.slice(from).map(([at]) => records[at]!.id);
        cycle.push(records[next]!.id);
        return { parent: records[next]!.parent, cycle };
      }
      if (colour[next] === 0) {
        colour[next] = 1;
        stack.push([next, 0]);
      }
    }
  }
  return null;
}

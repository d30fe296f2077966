import { EchelonError } from "@echelon/core";
import type { PatternChild } from "@echelon/core/plugin";
import { ForkJoinErrorCode } from "./errors.js";

/** The dependency graph of the children, by index. */
export interface ChildGraph {
  /** Index of each child by id. */
  readonly indexOf: ReadonlyMap<string, number>;
  /** For each child, the indices of the children that depend on it. */
  readonly dependents: readonly (readonly number[])[];
  /** For each child, the indices of its dependencies (deduplicated). */
  readonly dependencies: readonly (readonly number[])[];
}

/**
 * Builds and checks the DAG of `dependsOn` among siblings.
 *
 * @param children - the children, in declaration order
 * @returns the graph
 * @throws EchelonError `ECHELON_FORK_JOIN_DUPLICATE_CHILD`, `ECHELON_FORK_JOIN_UNKNOWN_DEPENDENCY`,
 *   `ECHELON_FORK_JOIN_DEPENDENCY_CYCLE`
 */
export function buildChildGraph(children: readonly PatternChild[]): ChildGraph {
  const indexOf = new Map<string, number>();
  children.forEach((child, i) => {
    if (indexOf.has(child.id)) {
      throw new EchelonError(
        ForkJoinErrorCode.DUPLICATE_CHILD,
        `fork-join: two children have the id "${child.id}". Give every child a unique id.`,
        { details: { id: child.id } },
      );
    }
    indexOf.set(child.id, i);
  });
  const dependencies = children.map((child) => {
    const deps = new Set<number>();
    for (const dep of child.dependsOn) {
      const j = indexOf.get(dep);
      if (j === undefined) {
        throw new EchelonError(
          ForkJoinErrorCode.UNKNOWN_DEPENDENCY,
          `fork-join: child "${child.id}" depends on "${dep}", which is not one of its siblings. Fix its dependsOn.`,
          { details: { child: child.id, dependency: dep } },
        );
      }
      deps.add(j);
    }
    return [...deps];
  });
  const dependents: number[][] = children.map(() => []);
  dependencies.forEach((deps, i) => {
    for (const j of deps) dependents[j]!.push(i);
  });
  const cycle = findCycle(dependencies);
  if (cycle) {
    const ids = cycle.map((i) => children[i]!.id);
    throw new EchelonError(
      ForkJoinErrorCode.DEPENDENCY_CYCLE,
      `fork-join: dependsOn forms a cycle (${ids.join(" → ")}). Remove one of these dependencies.`,
      { details: { cycle: ids } },
    );
  }
  return { indexOf, dependents, dependencies };
}

/** Iterative depth-first search; returns a cycle as indices (first repeated at the end) or null. */
function findCycle(dependencies: readonly (readonly number[])[]): number[] | null {
  const state = new Uint8Array(dependencies.length); // 0 new, 1 on stack, 2 done
  for (let root = 0; root < dependencies.length; root++) {
    if (state[root] !== 0) continue;
    const stack: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = dependencies[top.node]!;
      if (top.next >= deps.length) {
        state[top.node] = 2;
        stack.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      if (state[dep] === 1) {
        const from = stack.findIndex((f) => f.node === dep);
        return [...stack.slice(from).map((f) => f.node), dep];
      }
      if (state[dep] === 0) {
        state[dep] = 1;
        stack.push({ node: dep, next: 0 });
      }
    }
  }
  return null;
}

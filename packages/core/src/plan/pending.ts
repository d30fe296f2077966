import { indexPath, keyPath } from "./paths.js";

/** A node waiting to be read by an iterative tree walk (spec or plan). @internal */
export interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly path: string;
  readonly parent: number;
  readonly index: number;
  readonly kind: "task" | "compensate";
}

/**
 * Queues a read node's compensation (same depth) and children (one deeper, in order) for the
 * walk. @internal
 */
export function pushSubtasks(
  stack: Pending[],
  at: number,
  depth: number,
  path: string,
  compensate: unknown,
  children: readonly unknown[],
): void {
  if (compensate !== null && compensate !== undefined) {
    stack.push({
      value: compensate,
      depth,
      path: keyPath(path, "compensate"),
      parent: at,
      index: -1,
      kind: "compensate",
    });
  }
  const childrenPath = keyPath(path, "children");
  for (let i = children.length - 1; i >= 0; i--) {
    stack.push({
      value: children[i],
      depth: depth + 1,
      path: indexPath(childrenPath, i),
      parent: at,
      index: i,
      kind: "task",
    });
  }
}

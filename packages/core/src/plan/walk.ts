import type { PlanNode } from "../model/task.js";

/**
 * Visits every node of a plan tree in pre-order (a node before its children, children in
 * order), iteratively, so any depth is safe. Compensations are not visited; reach them
 * through `node.compensate`.
 *
 * @param root - the node to start from, usually `plan.root`
 * @param visit - called once per node
 * @example
 * ```ts
 * const leaves: string[] = [];
 * walkPlan(plan.root, (node) => { if (node.children.length === 0) leaves.push(node.path); });
 * ```
 */
export function walkPlan(root: PlanNode, visit: (node: PlanNode) => void): void {
  const stack: PlanNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    visit(node);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
}

import type { Plan, PlanNode } from "@echelon/core";

/**
 * The decomposition tree as indented text: one line per node with its level, pattern (for
 * composites), complexity and capabilities.
 *
 * @param plan - the plan
 * @param levels - level names, primary first
 * @returns the text
 */
export function formatPlanTree(plan: Plan, levels: readonly string[]): string {
  const lines = [
    `plan ${plan.taskId} (${plan.source}): ${plan.nodeCount} tasks, ${plan.leafCount} leaves, depth ${plan.depth}`,
  ];
  const visit = (node: PlanNode, prefix: string, last: boolean, isRoot: boolean) => {
    const branch = isRoot ? "" : last ? "└─ " : "├─ ";
    const facts = [
      levels[node.depth] ?? `level ${node.depth}`,
      node.pattern ?? "leaf",
      node.complexity,
      ...(node.capabilities.length > 0 ? [`needs ${node.capabilities.join(", ")}`] : []),
      ...(node.dependsOn.length > 0 ? [`after ${node.dependsOn.join(", ")}`] : []),
    ];
    lines.push(`${prefix}${branch}${node.id}: ${node.description} [${facts.join(" · ")}]`);
    const childPrefix = isRoot ? "" : prefix + (last ? "   " : "│  ");
    node.children.forEach((c, i) => {
      visit(c, childPrefix, i === node.children.length - 1, false);
    });
  };
  visit(plan.root, "", true, true);
  return `${lines.join("\n")}\n`;
}

import type { Plan, PlanNode } from "@echelon/core";

/** What a task needs: its capabilities, then the inferred ones no agent offers, marked. */
function needs(node: PlanNode): string[] {
  const unoffered = node.metadata.unofferedCapabilities;
  const marked = Array.isArray(unoffered)
    ? unoffered.filter((c): c is string => typeof c === "string").map((c) => `${c} (no agent offers)`)
    : [];
  const all = [...node.capabilities, ...marked];
  return all.length > 0 ? [`needs ${all.join(", ")}`] : [];
}

/**
 * The decomposition tree as indented text: one line per node with its level, pattern (for
 * composites), complexity and capabilities — those the decomposer inferred but no loaded agent
 * offers (`metadata.unofferedCapabilities`) marked "(no agent offers)".
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
      ...needs(node),
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

import type { PlanNode, Plan } from "@echelon/core";
import { walkPlan } from "@echelon/core/plugin";

/** Every pattern name the heuristic rules use. */
export const ALL_PATTERNS = ["mapreduce", "pipeline", "fork-join", "scatter-gather", "saga"] as const;

/** Nodes of a plan in pre-order. */
export function nodes(plan: Plan): PlanNode[] {
  const out: PlanNode[] = [];
  walkPlan(plan.root, (n) => out.push(n));
  return out;
}

/** Leaves of a subtree, in order. */
export function leaves(node: PlanNode): PlanNode[] {
  const out: PlanNode[] = [];
  walkPlan(node, (n) => {
    if (n.children.length === 0) out.push(n);
  });
  return out;
}

/** True when `child` is `parent` with something put in front of it. */
export function isPrefixed(child: string, parent: string): boolean {
  const c = child.trim().toLowerCase();
  const p = parent.trim().toLowerCase();
  return p.length > 0 && c.length > p.length && c.endsWith(p);
}

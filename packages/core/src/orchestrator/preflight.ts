import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Plan, PlanNode } from "../model/task.js";
import type { Runtime } from "./runtime.js";

/** One capability (or capability set) no agent can serve, with the nodes needing it. */
export interface MissingCapability {
  readonly capability: string;
  readonly level: string;
  readonly nodes: readonly string[];
}

/**
 * Checks, before any work starts, that every leaf (and compensation) has an agent type able
 * to serve it at its level, and that every strategy a node names is registered.
 *
 * @throws EchelonError `ECHELON_AGENT_NO_CAPABILITY` naming the capabilities and nodes, or `ECHELON_STRATEGY_UNKNOWN`
 */
export function preflight(plan: Plan, runtime: Runtime): void {
  const missing = new Map<string, { capability: string; level: string; nodes: string[] }>();
  const unknownStrategies = new Map<string, string[]>();
  const check = (node: PlanNode) => {
    if (node.strategy !== null && !runtime.strategies.has(node.strategy)) {
      const list = unknownStrategies.get(node.strategy) ?? [];
      list.push(node.path);
      unknownStrategies.set(node.strategy, list);
    }
    if (node.children.length > 0) return;
    const pool = runtime.hierarchy.pool(node.depth);
    if (pool.canServe(node.capabilities)) return;
    const absent = node.capabilities.filter((c) => !pool.canServe([c]));
    const capability =
      absent.length > 0
        ? absent.join(", ")
        : node.capabilities.length > 0
          ? node.capabilities.join(" + ")
          : "(any agent)";
    const key = `${pool.name}|${capability}`;
    const entry = missing.get(key) ?? { capability, level: pool.name, nodes: [] };
    entry.nodes.push(node.path);
    missing.set(key, entry);
  };
  const stack: PlanNode[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    check(node);
    if (node.compensate !== null) check(node.compensate);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  if (unknownStrategies.size > 0) {
    const [name, nodes] = [...unknownStrategies][0]!;
    throw new EchelonError(
      CoreErrorCode.UNKNOWN_STRATEGY,
      `Distribution strategy "${name}" (used by ${nodes.slice(0, 3).join(", ")}) is not registered. Registered: ${[...runtime.strategies.keys()].join(", ") || "none"}.`,
      { details: { strategy: name, nodes } },
    );
  }
  if (missing.size > 0) {
    const list: MissingCapability[] = [...missing.values()];
    const lines = list.map(
      (m) =>
        `  ${m.capability} at level ${m.level}, needed by ${m.nodes.slice(0, 5).join(", ")}${m.nodes.length > 5 ? ` and ${m.nodes.length - 5} more` : ""}`,
    );
    throw new EchelonError(
      CoreErrorCode.NO_AGENT_FOR_CAPABILITY,
      `No agent can run some tasks; nothing was started. Add agent types offering:\n${lines.join("\n")}`,
      { details: { missing: list } },
    );
  }
}

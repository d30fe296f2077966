import { CoreErrorCode, EchelonError, levelName, type Plan, type PlanNode } from "@echelon/core";

/** What {@link findMissingCapabilities} needs of an agent or agent type. */
export interface CapabilityProvider {
  /** Capabilities offered. */
  readonly capabilities: readonly string[];
  /** Levels it may serve at (names or indices); empty or absent = any level (agent types only). */
  readonly levels?: readonly (string | number)[];
}

/** A capability (or combination) the plan needs that no provider offers, and where. */
export interface MissingCapability {
  /**
   * The capability no provider offers at the nodes' levels. When every capability of a node is
   * offered, but by no single provider, this is the combination joined by `" + "`.
   */
  readonly capability: string;
  /** The capabilities concerned: one, or the uncovered combination. */
  readonly capabilities: readonly string[];
  /** Paths of the nodes (leaves and compensations) that need it, in plan order. */
  readonly nodes: readonly string[];
}

/**
 * Preflight check of a plan against the agents and agent types that could run it: lists every
 * capability that some node needs but no provider offers at that node's level (a leaf at depth
 * d runs at level d; a type restricted with `levels` serves only those levels). Composite nodes
 * are coordinated by core, not agents, so only leaves and compensations are checked.
 *
 * Cost: one pass over the nodes, with a set lookup per required capability.
 *
 * @param plan - the plan to check
 * @param providers - agents and agent types (anything with `capabilities`, optionally `levels`)
 * @returns the missing capabilities with the nodes that need them; empty when the plan can run
 * @example
 * ```ts
 * const missing = findMissingCapabilities(plan, [coderType, testerType]);
 * // [{ capability: "deployment", capabilities: ["deployment"], nodes: ["release/deploy"] }]
 * ```
 */
export function findMissingCapabilities(
  plan: Plan,
  providers: readonly CapabilityProvider[],
): MissingCapability[] {
  const missing = new Map<string, { capabilities: string[]; nodes: string[] }>();
  const coverage = new Map<string, Set<string>[]>();

  const providersAt = (depth: number): Set<string>[] => {
    const level = levelName(depth);
    let sets = coverage.get(level);
    if (sets === undefined) {
      sets = providers
        .filter(
          (p) =>
            p.levels === undefined ||
            p.levels.length === 0 ||
            p.levels.some((l) => l === level || l === depth),
        )
        .map((p) => new Set(p.capabilities));
      coverage.set(level, sets);
    }
    return sets;
  };

  const note = (key: string, capabilities: string[], path: string): void => {
    const entry = missing.get(key);
    if (entry === undefined) missing.set(key, { capabilities, nodes: [path] });
    else if (entry.nodes[entry.nodes.length - 1] !== path) entry.nodes.push(path);
  };

  const check = (node: PlanNode): void => {
    const required = node.capabilities;
    if (required.length === 0) return;
    const sets = providersAt(node.depth);
    let allOffered = true;
    for (const capability of required) {
      if (!sets.some((s) => s.has(capability))) {
        allOffered = false;
        note(capability, [capability], node.path);
      }
    }
    if (allOffered && !sets.some((s) => required.every((c) => s.has(c)))) {
      const combination = [...required].sort();
      note(combination.join(" + "), combination, node.path);
    }
  };

  const stack: PlanNode[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children.length === 0) check(node);
    if (node.compensate !== null) check(node.compensate);
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return [...missing].map(([capability, entry]) => ({ capability, ...entry }));
}

/**
 * Fails before any work starts when a plan needs a capability nobody offers.
 *
 * @param plan - the plan to check
 * @param providers - agents and agent types
 * @throws EchelonError `ECHELON_AGENT_NO_CAPABILITY` naming each missing capability and its
 *   nodes; `details.missing` holds the {@link MissingCapability} list
 */
export function assertCapabilitiesCovered(plan: Plan, providers: readonly CapabilityProvider[]): void {
  const missing = findMissingCapabilities(plan, providers);
  if (missing.length === 0) return;
  const list = missing.map((m) => `"${m.capability}" (needed by ${m.nodes.join(", ")})`).join("; ");
  throw new EchelonError(
    CoreErrorCode.AGENT_NO_CAPABILITY,
    `No registered agent or agent type offers ${list}. Register an agent type with these capabilities or remove them from the plan.`,
    {
      details: {
        missing: missing.map((m) => ({ ...m, capabilities: [...m.capabilities], nodes: [...m.nodes] })),
      },
    },
  );
}

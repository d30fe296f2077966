import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Plan, PlanNode } from "../model/task.js";
import type { LevelPool } from "../hierarchy/level-pool.js";
import type { Runtime } from "../runtime/runtime.js";
import { childViews } from "../runtime/pattern-context.js";

/** One capability (or capability set) no agent can serve, with the nodes needing it. */
export interface MissingCapability {
  readonly capability: string;
  readonly level: string;
  readonly nodes: readonly string[];
}

/**
 * Checks, before any work starts, that every leaf (and compensation) has an agent type able
 * to serve it at its level, that every strategy a node names is registered, and that every
 * composite node's pattern accepts its options (the pattern plugin's own `checkOptions`).
 *
 * @throws EchelonError `ECHELON_AGENT_NO_CAPABILITY` naming the capabilities and nodes, `ECHELON_STRATEGY_UNKNOWN`,
 *   the pattern plugin's own code (or `ECHELON_PATTERN_OPTIONS_INVALID`) naming the node
 */
export function preflight(plan: Plan, runtime: Runtime): void {
  const missing = new Map<string, { capability: string; level: string; nodes: string[] }>();
  const unknownStrategies = new Map<string, string[]>();
  const anyAgent = new Map<LevelPool, boolean>();
  const check = (node: PlanNode) => {
    if (node.strategy !== null && !runtime.strategies.has(node.strategy)) {
      const list = unknownStrategies.get(node.strategy) ?? [];
      list.push(node.path);
      unknownStrategies.set(node.strategy, list);
    }
    if (node.expand !== null) {
      checkExpander(node, runtime);
      return;
    }
    if (node.children.length > 0) {
      checkPatternOptions(node, runtime);
      return;
    }
    const pool = runtime.hierarchy.pool(node.depth);
    if (node.capabilities.length === 0) {
      // Most leaves ask for nothing: one answer per level.
      let any = anyAgent.get(pool);
      if (any === undefined) {
        any = pool.canServe(node.capabilities);
        anyAgent.set(pool, any);
      }
      if (any) return;
    } else if (pool.canServe(node.capabilities)) return;
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
      CoreErrorCode.STRATEGY_UNKNOWN,
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
      CoreErrorCode.AGENT_NO_CAPABILITY,
      `No agent can run some tasks; nothing was started. Add agent types offering:\n${lines.join("\n")}`,
      { details: { missing: list } },
    );
  }
}

/**
 * Checks every composite node's pattern options with the pattern plugins' own `checkOptions`
 * (what {@link preflight} does for them, without the agent checks: for planning only).
 *
 * @throws EchelonError the pattern plugin's own code (or `ECHELON_PATTERN_OPTIONS_INVALID`) naming the node
 */
export function checkPatternOptionsOf(plan: Plan, runtime: Runtime): void {
  const stack: PlanNode[] = [plan.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.children.length === 0) continue;
    checkPatternOptions(node, runtime);
    for (const child of node.children) stack.push(child);
  }
}

/** A node that expands names an expander that exists (children are checked when they are made). */
function checkExpander(node: PlanNode, runtime: Runtime): void {
  const using = node.expand?.using;
  if (using === undefined) return;
  const settings = runtime.expansion;
  if (using === "decompose" ? settings?.decompose != null : settings?.expanders.has(using) === true) return;
  const known = settings === null ? [] : [...settings.expanders.keys()];
  throw new EchelonError(
    using === "decompose" ? CoreErrorCode.EXPANSION_INVALID : CoreErrorCode.EXPANDER_UNKNOWN,
    using === "decompose"
      ? `"${node.path}" expands using "decompose", but no decomposer is installed. Install one (the echelon package has it).`
      : `"${node.path}" expands using "${using}", which no plugin registers. Known: ${known.length > 0 ? known.join(", ") : "none"} (and "decompose").`,
    { details: { nodePath: node.path, expander: using, known } },
  );
}

/** Asks the node's pattern plugin to check its options; a refusal names the node. */
function checkPatternOptions(node: PlanNode, runtime: Runtime): void {
  const registered = node.pattern === null ? undefined : runtime.patterns.get(node.pattern);
  if (registered?.value.checkOptions === undefined) return;
  try {
    registered.value.checkOptions(node.patternOptions, childViews(node));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const text = `Pattern "${registered.value.name}" at "${node.path}" refuses its options: ${message}`;
    if (error instanceof EchelonError) {
      throw new EchelonError(error.code, text, {
        cause: error,
        details: { ...error.details, nodePath: node.path },
      });
    }
    throw new EchelonError(CoreErrorCode.PATTERN_OPTIONS_INVALID, text, {
      cause: error,
      details: {
        pattern: registered.value.name,
        plugin: registered.plugin,
        hook: "checkOptions",
        nodePath: node.path,
      },
    });
  }
}

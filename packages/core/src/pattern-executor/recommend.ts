import type { Pattern, PatternChild } from "../patterns/pattern.js";

/** Facts about a set of children that drive automatic pattern choice. */
export interface ChildrenShape {
  /** Number of children. */
  readonly count: number;
  /** Agents available to run them. */
  readonly agentCount: number;
  /** Some child depends on a sibling. */
  readonly hasDependencies: boolean;
  /** Children form one chain: child i depends exactly on child i−1 (and the first on nothing). */
  readonly isChain: boolean;
  /** Some child declares a compensation. */
  readonly hasCompensations: boolean;
  /** At least two children and all inputs are equal as JSON. */
  readonly identicalContent: boolean;
  /** All inputs have the same kind (type; for objects, the same key set). */
  readonly homogeneousContent: boolean;
}

/**
 * Built-in preference order used to break ties between equal scores; patterns not listed come
 * after, by name.
 */
export const RECOMMENDATION_TIE_BREAK: readonly string[] = [
  "saga",
  "pipeline",
  "fork-join",
  "scatter-gather",
  "mapreduce",
];

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object")
    return `object:${Object.keys(value as object)
      .sort()
      .join(",")}`;
  return typeof value;
}

/**
 * Describes children for {@link recommendFromShape}.
 *
 * @param children - the children (or slices turned into children)
 * @param agentCount - how many agents are available
 * @returns the shape
 */
export function describeChildren(children: readonly PatternChild[], agentCount: number): ChildrenShape {
  const count = children.length;
  const hasDependencies = children.some((c) => c.dependsOn.length > 0);
  const isChain =
    count >= 2 &&
    children.every((c, i) =>
      i === 0 ? c.dependsOn.length === 0 : c.dependsOn.length === 1 && c.dependsOn[0] === children[i - 1]!.id,
    );
  const first = count > 0 ? JSON.stringify(children[0]!.input) : undefined;
  const identicalContent = count >= 2 && children.every((c) => JSON.stringify(c.input) === first);
  const firstKind = count > 0 ? kindOf(children[0]!.input) : "";
  return {
    count,
    agentCount,
    hasDependencies,
    isChain,
    hasCompensations: children.some((c) => c.hasCompensation),
    identicalContent,
    homogeneousContent: children.every((c) => kindOf(c.input) === firstKind),
  };
}

/**
 * The executor's own fit score (0..1) of a built-in pattern for a shape, used when the pattern
 * has no `recommend`:
 *
 * | pattern | score |
 * |---|---|
 * | saga | 0.95 with a declared compensation, else 0 |
 * | pipeline | 0.9 when the children form one dependency chain, else 0 |
 * | fork-join | 0.85 with dependencies; 0.6 for ≥ 2 heterogeneous independent children; else 0.3 |
 * | scatter-gather | 0.8 for one child and ≥ 2 agents; 0.75 for ≥ 2 identical children and ≥ 2 agents; else 0 |
 * | mapreduce | 0.7 for ≥ 2 independent children of one kind; else 0.1 |
 * | any other name | 0 |
 *
 * @param name - pattern name
 * @param shape - the children's shape
 * @returns the score
 */
export function builtInScore(name: string, shape: ChildrenShape): number {
  switch (name) {
    case "saga":
      return shape.hasCompensations ? 0.95 : 0;
    case "pipeline":
      return shape.isChain ? 0.9 : 0;
    case "fork-join":
      if (shape.hasDependencies) return 0.85;
      return shape.count >= 2 && !shape.homogeneousContent ? 0.6 : 0.3;
    case "scatter-gather":
      if (shape.agentCount < 2) return 0;
      if (shape.count === 1) return 0.8;
      return shape.identicalContent ? 0.75 : 0;
    case "mapreduce":
      return !shape.hasDependencies && shape.count >= 2 && shape.homogeneousContent ? 0.7 : 0.1;
    default:
      return 0;
  }
}

function rank(name: string): number {
  const i = RECOMMENDATION_TIE_BREAK.indexOf(name);
  return i < 0 ? RECOMMENDATION_TIE_BREAK.length : i;
}

/**
 * Picks the best-fitting pattern, deterministically: each pattern scores the children with its
 * own `recommend` when it has one, else with {@link builtInScore}; scores are clamped to 0..1
 * (non-numbers count as 0); the highest wins; ties go by {@link RECOMMENDATION_TIE_BREAK},
 * then by name.
 *
 * @param patterns - candidate patterns (at least one)
 * @param children - the children
 * @param agentCount - how many agents are available
 * @returns the chosen pattern's name, or `undefined` when `patterns` is empty
 */
export function recommendFromShape(
  patterns: readonly Pattern[],
  children: readonly PatternChild[],
  agentCount: number,
): string | undefined {
  const shape = describeChildren(children, agentCount);
  const scored = patterns.map((p) => {
    const raw = p.recommend ? p.recommend(children) : builtInScore(p.name, shape);
    const score = typeof raw === "number" && Number.isFinite(raw) ? Math.min(1, Math.max(0, raw)) : 0;
    return { name: p.name, score };
  });
  scored.sort((a, b) => b.score - a.score || rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
  return scored[0]?.name;
}

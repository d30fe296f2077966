import type { PatternChild } from "@echelon/core/plugin";

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
 * Map-reduce fits many independent children of one kind: 0.7 for ≥ 2 children without
 * dependencies whose inputs share a kind (type; for objects, the key set), else 0.1.
 *
 * @param children - the children
 * @returns the score in 0..1
 */
export function fitScore(children: readonly PatternChild[]): number {
  if (children.length < 2 || children.some((c) => c.dependsOn.length > 0)) return 0.1;
  const kind = kindOf(children[0]!.input);
  return children.every((c) => kindOf(c.input) === kind) ? 0.7 : 0.1;
}

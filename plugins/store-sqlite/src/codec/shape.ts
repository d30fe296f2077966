/**
 * The shape of a journaled event: its type and its keys, in order, each with where its value
 * lives. Shapes are stored once (table `shapes`). An event row is one JSON array, its `body`:
 * `[shapeId, nodePath, ts, …values]`, holding only the values whose source is `v`, `o`, `O`,
 * `C`, `p` or `R`, in key order. Key order is kept, so a decoded event is the appended one key for key.
 */

/**
 * Where a key's value lives:
 * - `k` the event type (the shape's own `type`);
 * - `i` the run's orchestration id (`runs.orchestration_id`);
 * - `n` the node path (`body[1]`); `s` the timestamp (`body[2]`);
 * - `t` derived: the last task id of the node path (`NodePath.id`), for `taskId`;
 * - `v` the next value of `body`;
 * - `o` the next value of `body`, an output this run stores for the first time;
 * - `O` an output stored earlier in the run: the next value of `body` is the `seq` of the event holding it;
 * - `C` an output composed of outputs stored earlier (a composite's aggregate): the next value of
 *   `body` is `[template, [[member, seq], …]]`, the output with those members replaced by 0;
 * - `p` the plan: the next value of `body` is its id in `plans`;
 * - `R` a terminal result whose own `result` field is an output stored earlier: that field holds the `seq`.
 */
export type KeySource = "k" | "i" | "n" | "s" | "t" | "v" | "o" | "O" | "C" | "p" | "R";

/** One key of a shape. */
export type ShapeKey = readonly [name: string, source: KeySource];

/** A shape, parsed. */
export interface Shape {
  readonly type: string;
  readonly keys: readonly ShapeKey[];
}

/** The stored text of a shape (also its identity: equal texts are one shape). */
export function shapeSpec(shape: Shape): string {
  return JSON.stringify([shape.type, shape.keys]);
}

const SOURCES: ReadonlySet<string> = new Set(["k", "i", "n", "s", "t", "v", "o", "O", "C", "p", "R"]);

/**
 * Parses a stored shape; `null` when the text is not one (a damaged row).
 */
export function parseShape(spec: string): Shape | null {
  let value: unknown;
  try {
    value = JSON.parse(spec);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string" || !Array.isArray(value[1]))
    return null;
  const keys: ShapeKey[] = [];
  for (const entry of value[1] as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !SOURCES.has(entry[1] as string))
      return null;
    keys.push([entry[0], entry[1] as KeySource]);
  }
  return { type: value[0], keys };
}

/** Shapes seen, by type: most events of a type share one or two shapes, so their text is built once. */
export class ShapeCache {
  private readonly byType = new Map<string, { keys: readonly ShapeKey[]; spec: string }[]>();

  /** The text of the shape `type` + `keys` (cached). */
  spec(type: string, keys: readonly ShapeKey[]): string {
    let known = this.byType.get(type);
    if (known === undefined) {
      known = [];
      this.byType.set(type, known);
    }
    for (const entry of known) if (sameKeys(entry.keys, keys)) return entry.spec;
    const spec = shapeSpec({ type, keys });
    if (known.length < 32) known.push({ keys, spec });
    return spec;
  }
}

function sameKeys(a: readonly ShapeKey[], b: readonly ShapeKey[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

/**
 * The shape of a journaled event: its type and its keys, in order, each with where its value
 * lives. Shapes are stored once (table `shapes`); an event row's `body` is a JSON array of the
 * node path, the timestamp and the values of the keys whose source is `"v"`. Key order is
 * kept, so a decoded event is the appended one key for key.
 */

/**
 * Where a key's value lives:
 * - `k` the event type (the shape's own `type`);
 * - `i` the run's orchestration id (`runs.orchestration_id`);
 * - `n` the node path (`body[0]`); `s` the timestamp (`body[1]`);
 * - `t` derived: the last task id of the node path (`NodePath.id`), for `taskId`;
 * - `v` the next value of `body` (from `body[2]` on);
 * - `o` the row's output: its `output` column, or, when an earlier event of the run holds the
 *   same output, that event's (`ref` = its `seq`);
 * - `p` the plan stored once in `plans` (`ref` = its id);
 * - `r` a result object from `body` whose own `result` field is the row's output (as for `o`).
 */
export type KeySource = "k" | "i" | "n" | "s" | "t" | "v" | "o" | "p" | "r";

/** A shape, parsed. */
export interface Shape {
  readonly type: string;
  readonly keys: readonly (readonly [name: string, source: KeySource])[];
}

/** The stored text of a shape (also its identity: equal texts are one shape). */
export function shapeSpec(shape: Shape): string {
  return JSON.stringify([shape.type, shape.keys]);
}

const SOURCES: ReadonlySet<string> = new Set(["k", "i", "n", "s", "t", "v", "o", "p", "r"]);

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
  const keys: [string, KeySource][] = [];
  for (const entry of value[1] as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !SOURCES.has(entry[1] as string))
      return null;
    keys.push([entry[0], entry[1] as KeySource]);
  }
  return { type: value[0], keys };
}

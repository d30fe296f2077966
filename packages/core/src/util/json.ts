import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import {
  numberBytes,
  OBJECT_HEADER_BYTES,
  rememberJsonBytes,
  SLOT_BYTES,
  STRING_HEADER_BYTES,
} from "./estimate-bytes.js";

/**
 * Deepest nesting accepted in an output (arrays and objects inside each other). Far deeper than
 * any real result, and shallow enough that `JSON.stringify` (and every journal) can always
 * write it; a cycle is reported when it is reached.
 */
export const MAX_OUTPUT_NESTING = 1000;

interface Problem {
  /** Keys from the offending value up to the root (reversed path). */
  readonly keys: Array<string | number>;
  readonly found: string;
}

function problem(found: string): Problem {
  return { keys: [], found };
}

/**
 * Estimated bytes of what {@link find} walked, as `estimateJsonBytes` counts them (summed on
 * the way: the check and the estimate are one walk). Reset before each walk.
 */
let walkedBytes = 0;

function find(v: unknown, depth: number): Problem | null {
  switch (typeof v) {
    case "string":
      walkedBytes += STRING_HEADER_BYTES + v.length;
      return null;
    case "boolean":
    case "undefined":
      return null;
    case "number":
      if (!Number.isFinite(v)) return problem(`a non-finite number (${String(v)})`);
      walkedBytes += numberBytes(v);
      return null;
    case "object": {
      if (v === null) return null;
      if (v instanceof Date) {
        walkedBytes += OBJECT_HEADER_BYTES;
        return null;
      }
      if (depth >= MAX_OUTPUT_NESTING) {
        return problem(`nested deeper than ${MAX_OUTPUT_NESTING} levels`);
      }
      if (Array.isArray(v)) {
        walkedBytes += OBJECT_HEADER_BYTES + SLOT_BYTES * v.length;
        for (let i = 0; i < v.length; i++) {
          const found = find(v[i], depth + 1);
          if (found !== null) {
            found.keys.push(i);
            return found;
          }
        }
        return null;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        return problem(`an instance of ${(v as object).constructor?.name ?? "a class"}`);
      }
      // Values read as one array (keys only when a problem needs its path): a keyed read per
      // property of a large object costs more than the check itself.
      const values = Object.values(v);
      walkedBytes += OBJECT_HEADER_BYTES + SLOT_BYTES * values.length;
      for (let i = 0; i < values.length; i++) {
        const found = find(values[i], depth + 1);
        if (found !== null) {
          found.keys.push(Object.keys(v)[i]!);
          return found;
        }
      }
      return null;
    }
    default:
      return problem(`a ${typeof v}`);
  }
}

/** Finds a reference back onto its own path (a cycle), depth first; only called once the depth limit is hit. */
function findCycle(root: unknown): Problem | null {
  const onPath = new Set<object>();
  const visit = (v: unknown): Problem | null => {
    if (typeof v !== "object" || v === null) return null;
    if (onPath.has(v)) return problem("a reference back to an enclosing value (a cycle)");
    if (onPath.size >= MAX_OUTPUT_NESTING) return null;
    onPath.add(v);
    const entries: Array<[string | number, unknown]> = Array.isArray(v)
      ? v.map((x, i): [number, unknown] => [i, x])
      : Object.entries(v as Record<string, unknown>);
    for (const [key, child] of entries) {
      const found = visit(child);
      if (found !== null) {
        found.keys.push(key);
        return found;
      }
    }
    onPath.delete(v);
    return null;
  };
  return visit(root);
}

/**
 * Checks that `value` survives `JSON.stringify` → `JSON.parse` unchanged in meaning: plain
 * objects, arrays, strings, finite numbers, booleans, null (and `undefined`, which is dropped),
 * nested at most {@link MAX_OUTPUT_NESTING} deep. Functions, symbols, bigints, non-finite
 * numbers, class instances (other than Date) and cycles are refused. One pass, no allocation
 * unless a problem is found.
 *
 * @param value - the value to check
 * @param what - what the value is, for the message (`output of task "a/b"`)
 * @throws EchelonError `ECHELON_RESULT_NOT_SERIALIZABLE` naming the offending path
 */
export function assertJsonSerializable(value: unknown, what: string): void {
  const found = find(value, 0);
  if (found !== null) throw notSerializable(value, found, what);
}

/**
 * {@link assertJsonSerializable} for a value that is read-only from now on (an agent's output,
 * a pattern's result): the same one walk also estimates its size, and a large value keeps the
 * estimate, so the stores and the retention of finished runs do not walk it again. Internal.
 *
 * @throws EchelonError `ECHELON_RESULT_NOT_SERIALIZABLE` naming the offending path
 */
export function assertJsonOutput(value: unknown, what: string): void {
  walkedBytes = 0;
  const found = find(value, 0);
  if (found !== null) throw notSerializable(value, found, what);
  if (typeof value === "object" && value !== null) rememberJsonBytes(value, walkedBytes);
}

function notSerializable(value: unknown, first: Problem, what: string): EchelonError {
  let found = first;
  if (found.found.startsWith("nested deeper")) found = findCycle(value) ?? found;
  let path = "$";
  for (let i = found.keys.length - 1; i >= 0; i--) {
    const key = found.keys[i]!;
    path += typeof key === "number" ? `[${key}]` : `.${key}`;
  }
  return new EchelonError(
    CoreErrorCode.RESULT_NOT_SERIALIZABLE,
    `The ${what} is not JSON-serialisable: ${path.length > 200 ? `${path.slice(0, 200)}…` : path} is ${found.found}. Return plain data (objects, arrays, strings, finite numbers, booleans, null).`,
    { details: { path: path.slice(0, 1000), found: found.found } },
  );
}

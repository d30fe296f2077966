import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

/**
 * Checks that `value` survives `JSON.stringify` → `JSON.parse` unchanged in meaning: plain
 * objects, arrays, strings, finite numbers, booleans, null (and `undefined`, which is dropped).
 * Functions, symbols, bigints, non-finite numbers, class instances (other than Date) and
 * cycles are refused.
 *
 * @param value - the value to check
 * @param what - what the value is, for the message (`output of task "a/b"`)
 * @throws EchelonError `ECHELON_RESULT_NOT_SERIALIZABLE` naming the offending path
 */
export function assertJsonSerializable(value: unknown, what: string): void {
  if (value === null || value === undefined) return;
  const t = typeof value;
  if (t === "string" || t === "boolean") return;
  if (t === "number") {
    if (!Number.isFinite(value)) fail(what, "$", `a non-finite number (${String(value)})`);
    return;
  }
  const stack: Array<{ v: unknown; path: string; exit?: true }> = [{ v: value, path: "$" }];
  const onPath = new Set<object>();
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { v, path, exit } = stack.pop()!;
    if (exit) {
      onPath.delete(v as object);
      continue;
    }
    switch (typeof v) {
      case "string":
      case "boolean":
      case "undefined":
        continue;
      case "number":
        if (!Number.isFinite(v)) fail(what, path, `a non-finite number (${String(v)})`);
        continue;
      case "object": {
        if (v === null) continue;
        if (v instanceof Date) continue;
        if (seen.has(v)) {
          if (onPath.has(v)) fail(what, path, "a cycle");
          continue;
        }
        const proto = Object.getPrototypeOf(v);
        if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
          fail(what, path, `an instance of ${(v as object).constructor?.name ?? "a class"}`);
        }
        seen.add(v);
        onPath.add(v);
        stack.push({ v, path, exit: true });
        if (Array.isArray(v)) {
          for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` });
        } else {
          const keys = Object.keys(v);
          for (let i = keys.length - 1; i >= 0; i--) {
            const k = keys[i]!;
            stack.push({ v: (v as Record<string, unknown>)[k], path: `${path}.${k}` });
          }
        }
        // A shared (non-cyclic) reference is fine for JSON; only a reference back onto the path is a cycle.
        continue;
      }
      default:
        fail(what, path, `a ${typeof v}`);
    }
  }
}

function fail(what: string, path: string, found: string): never {
  throw new EchelonError(
    CoreErrorCode.NOT_SERIALIZABLE,
    `The ${what} is not JSON-serialisable: ${path} is ${found}. Return plain data (objects, arrays, strings, finite numbers, booleans, null).`,
    { details: { path, found } },
  );
}

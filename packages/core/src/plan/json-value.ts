import type { SpecIssue } from "./issues.js";
import { indexPath, keyPath } from "./paths.js";

/** Keys refused anywhere in a spec or plan: they are prototype-pollution vectors. @internal */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Deepest nesting accepted inside `input`, `patternOptions` and `metadata`. @internal */
export const MAX_JSON_NESTING = 256;

/** True for `{}`-like objects (prototype `Object.prototype` or `null`). @internal */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" && name !== ""
      ? `an instance of ${name}`
      : "an object with a custom prototype";
  }
  return `a ${typeof value}`;
}

/**
 * Checks that `value` is JSON data (plain objects, arrays, strings, finite numbers, booleans,
 * null; a valid Date is accepted and becomes its ISO string) without forbidden keys, cycles or
 * nesting beyond {@link MAX_JSON_NESTING}. Iterative: never overflows the stack.
 *
 * @returns whether no issue was added
 * @internal
 */
export function checkJsonValue(value: unknown, path: string, issues: SpecIssue[]): boolean {
  const before = issues.length;
  const stack: Array<{ v: unknown; path: string; depth: number; exit?: true }> = [
    { v: value, path, depth: 0 },
  ];
  const onPath = new Set<object>();
  const done = new Set<object>();
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.v;
    if (frame.exit) {
      onPath.delete(v as object);
      done.add(v as object);
      continue;
    }
    if (v === null || v === undefined || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v))
        issues.push({ path: frame.path, message: `must be a finite number (JSON has no ${v})` });
      continue;
    }
    if (typeof v !== "object") {
      issues.push({ path: frame.path, message: `is ${describeType(v)}, which JSON cannot hold` });
      continue;
    }
    if (v instanceof Date) {
      if (Number.isNaN(v.getTime())) issues.push({ path: frame.path, message: "is an invalid Date" });
      continue;
    }
    if (onPath.has(v)) {
      issues.push({ path: frame.path, message: "refers back to an enclosing value (a cycle)" });
      continue;
    }
    if (done.has(v)) continue;
    if (!Array.isArray(v) && !isPlainObject(v)) {
      issues.push({ path: frame.path, message: `is ${describeType(v)}; use plain objects and arrays` });
      continue;
    }
    if (frame.depth >= MAX_JSON_NESTING) {
      issues.push({ path: frame.path, message: `nests deeper than ${MAX_JSON_NESTING} levels` });
      continue;
    }
    onPath.add(v);
    stack.push({ v, path: frame.path, depth: frame.depth, exit: true });
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ v: v[i], path: indexPath(frame.path, i), depth: frame.depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (FORBIDDEN_KEYS.has(key)) {
        issues.push({ path: frame.path, message: `forbidden key "${key}"` });
        continue;
      }
      stack.push({ v: v[key], path: keyPath(frame.path, key), depth: frame.depth + 1 });
    }
  }
  return issues.length === before;
}

/**
 * Deep-copies and deep-freezes a value that passed {@link checkJsonValue}. Shared (acyclic)
 * references share one frozen copy; as JSON would, `undefined` object members are dropped,
 * array holes and `undefined` items become `null` and `-0` becomes `0`. Iterative.
 *
 * @internal
 */
export function cloneJsonValue(value: unknown): unknown {
  const copies = new Map<object, unknown>();
  const created: object[] = [];
  const work: Array<[object, unknown[] | Record<string, unknown>]> = [];
  const convert = (v: unknown): unknown => {
    if (v === 0) return 0; // -0 becomes 0, as JSON would
    if (typeof v !== "object" || v === null) return v;
    if (v instanceof Date) return v.toISOString();
    const known = copies.get(v);
    if (known !== undefined) return known;
    const copy: unknown[] | Record<string, unknown> = Array.isArray(v) ? new Array<unknown>(v.length) : {};
    copies.set(v, copy);
    created.push(copy);
    work.push([v, copy]);
    return copy;
  };
  const root = convert(value);
  while (work.length > 0) {
    const [source, copy] = work.pop()!;
    if (Array.isArray(source)) {
      const items = copy as unknown[];
      for (let i = 0; i < source.length; i++) items[i] = convert(source[i]) ?? null;
      continue;
    }
    const target = copy as Record<string, unknown>;
    for (const key of Object.keys(source)) {
      const item = convert((source as Record<string, unknown>)[key]);
      if (item !== undefined) target[key] = item;
    }
  }
  for (const object of created) Object.freeze(object);
  return root;
}

/**
 * Checks and copies the JSON field `key` of the node at issue path `base`; `undefined` stays
 * `undefined`. Adds issues and returns `undefined` when the value is not JSON.
 *
 * @internal
 */
export function readJsonField(
  value: unknown,
  base: string,
  key: string,
  issues: SpecIssue[],
  options: { readonly object: boolean },
): unknown {
  if (value === undefined) return undefined;
  if (options.object && !isPlainObject(value)) {
    issues.push({ path: keyPath(base, key), message: `must be a plain object; got ${describeType(value)}` });
    return undefined;
  }
  // The issue path is built only when the value needs the full walk (most values are flat).
  const flat = cloneFlat(value) ?? cloneSmallTree(value);
  if (flat !== undefined) return flat;
  return checkJsonValue(value, keyPath(base, key), issues) ? cloneJsonValue(value) : undefined;
}

const EMPTY_OBJECT = Object.freeze({});

function isFlatItem(item: unknown): boolean {
  return (
    item === null ||
    typeof item === "string" ||
    typeof item === "boolean" ||
    (typeof item === "number" && Number.isFinite(item))
  );
}

/**
 * Fast path for the common case: a primitive, or a plain object or array holding only
 * primitives and no forbidden keys. Returns `undefined` when the value needs the full walk.
 */
function cloneFlat(value: unknown): unknown {
  if (isFlatItem(value)) return value === 0 ? 0 : value; // -0 becomes 0, as JSON would
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (!isFlatItem(item)) return undefined;
      copy[i] = item === 0 ? 0 : item;
    }
    return Object.freeze(copy);
  }
  if (!isPlainObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length === 0) return EMPTY_OBJECT;
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    const item = value[key];
    if (FORBIDDEN_KEYS.has(key) || !isFlatItem(item)) return undefined;
    copy[key] = item === 0 ? 0 : item;
  }
  return Object.freeze(copy);
}

/** Most objects and arrays {@link cloneSmallTree} copies; larger values take the full walk. */
const SMALL_TREE = 64;

/**
 * Second fast path: a small tree of plain objects and arrays (at most {@link SMALL_TREE} of
 * them, no object reached twice, no forbidden key, no Date, finite numbers only), copied and
 * frozen in one pass. Returns `undefined` when the value needs the full walk, which checks it
 * and reports every issue; what both accept they copy alike.
 */
function cloneSmallTree(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const seen: object[] = [];
  const work: Array<[object, unknown[] | Record<string, unknown>]> = [];
  let failed = false;
  const convert = (v: unknown): unknown => {
    if (isFlatItem(v)) return v === 0 ? 0 : v;
    if (v === undefined) return undefined;
    if (typeof v !== "object" || v === null || seen.length === SMALL_TREE || seen.includes(v)) {
      failed = true;
      return undefined;
    }
    const array = Array.isArray(v);
    if (!array && !isPlainObject(v)) {
      failed = true;
      return undefined;
    }
    seen.push(v);
    const copy: unknown[] | Record<string, unknown> = array ? new Array<unknown>(v.length) : {};
    work.push([v, copy]);
    return copy;
  };
  const root = convert(value);
  while (work.length > 0 && !failed) {
    const [source, copy] = work.pop()!;
    if (Array.isArray(source)) {
      const items = copy as unknown[];
      for (let i = 0; i < source.length; i++) items[i] = convert(source[i]) ?? null;
    } else {
      const target = copy as Record<string, unknown>;
      for (const key of Object.keys(source)) {
        if (FORBIDDEN_KEYS.has(key)) failed = true;
        const item = convert((source as Record<string, unknown>)[key]);
        if (item !== undefined) target[key] = item;
      }
    }
    Object.freeze(copy);
  }
  return failed ? undefined : root;
}

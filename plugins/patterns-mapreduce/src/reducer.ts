import { EchelonError } from "@echelon/core";
import { MapReduceErrorCode } from "./errors.js";

/**
 * A reducer as the pattern runs it. Map outputs are first `lift`ed into the accumulator domain,
 * then folded with `combine`. An **associative** reducer may be folded in any grouping
 * (`combine(combine(a, b), c)` equals `combine(a, combine(b, c))`), which lets the pattern reduce
 * incrementally as results arrive; a non-associative one is folded strictly left to right.
 */
export interface Reducer {
  /** Name used in `patternOptions.reducer`. */
  readonly name: string;
  /** Whether `combine` is associative (order of children is still respected). */
  readonly associative: boolean;
  /**
   * Turns one map output into an accumulator value. Without {@link Reducer.own} it must return a
   * fresh value (`combine` may mutate its left side, and the output is also held in results and
   * events); with `own` it may return the output itself (after checking it).
   */
  lift(output: unknown, childId: string): unknown;
  /**
   * Combines two accumulator values, left before right. May mutate and return `left`, never
   * `right`. With {@link Reducer.own}, `left` is always a value the caller owns (a result of
   * `own`, `combine`, `empty` or `start`), and the value returned is taken as owned too.
   */
  combine(left: unknown, right: unknown): unknown;
  /** The result when nothing was mapped. */
  empty(): unknown;
  /** Starting accumulator of a left-to-right fold (non-associative reducers); the first value when absent. */
  start?(): unknown;
  /** Turns the final accumulator into the result (a whole-list reducer applies its function here). */
  finish?(acc: unknown): unknown;
  /**
   * Optional. A private copy of a lifted value that `combine` may mutate. When present, `lift`
   * may hand back the output itself (it then only checks it): the pattern calls `own` once on
   * a value it does not own before the first `combine` into it (so `n` outputs cost `n - 1`
   * combines and at most one copy per fold), and on a lone unowned final value, so the result
   * never shares an agent's output. When absent, `lift` must return fresh values (the contract
   * of reducers written before this member existed).
   */
  own?(lifted: unknown): unknown;
}

/**
 * A custom reducer function, in one of two forms:
 * - **fold** `(accumulator, value) => accumulator`: folds one output at a time;
 * - **whole list** `(results) => result` (the seed API's form): gets every output, in child
 *   order, as one array, once all are in (declare it with one parameter, or pass `form: "list"`).
 *
 * A function declared with one parameter is taken as the whole-list form unless `form` says
 * otherwise. Treat the arguments as read-only (they may be agents' outputs also held in
 * results and events): return a new value instead of mutating.
 */
export type CustomReducerFn = (accumulatorOrResults: unknown, value: unknown) => unknown;

/** Options of `registerCustomReducer`. */
export interface CustomReducerOptions {
  /**
   * Declares `fn` associative over map outputs (`fn(fn(a, b), c)` equals `fn(a, fn(b, c))`):
   * results are then reduced incrementally as they arrive, holding O(window) values instead of
   * O(n). Default false (outputs are buffered and folded in child order).
   */
  readonly associative?: boolean;
  /**
   * Starting accumulator (JSON; cloned per run). For a non-associative reducer, the fold starts
   * from it (from the first output when absent). For an associative one it is only the result of
   * an empty run. Default `null` for an empty run.
   */
  readonly initial?: unknown;
  /** Replace an existing reducer of the same name on purpose. */
  readonly override?: boolean;
  /**
   * `fold` (`(accumulator, value) => accumulator`) or `list` (`(results) => result`, called once
   * with every output in child order). Default: `list` for a function declared with exactly one
   * parameter, else `fold`.
   */
  readonly form?: "fold" | "list";
}

function reduceFailed(reducer: string, message: string, childId?: string): EchelonError {
  return new EchelonError(MapReduceErrorCode.REDUCE_FAILED, `Reducer "${reducer}": ${message}`, {
    details: { reducer, ...(childId !== undefined ? { child: childId } : {}) },
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function numberOf(reducer: string, output: unknown, childId: string): number {
  if (typeof output !== "number" || !Number.isFinite(output)) {
    throw reduceFailed(
      reducer,
      `expects finite numbers, but child "${childId}" returned ${JSON.stringify(output) ?? typeof output}. Map to numbers or pick another reducer.`,
      childId,
    );
  }
  return output;
}

/** Checks that `output` is a plain object and returns it as is (no copy: see `copyOf`). */
function objectOf(reducer: string, output: unknown, childId: string): Record<string, unknown> {
  if (!isPlainObject(output)) {
    throw reduceFailed(
      reducer,
      `expects plain objects, but child "${childId}" returned ${Array.isArray(output) ? "an array" : typeof output}. Map to objects or pick another reducer.`,
      childId,
    );
  }
  return output;
}

/** A shallow copy of a plain object's own enumerable keys (a `__proto__` key stays data). */
function copyOf(value: unknown): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(source);
  const values = Object.values(source);
  for (let i = 0; i < keys.length; i++) setOwn(copy, keys[i]!, values[i]);
  return copy;
}

function extreme(name: string, pick: (a: number, b: number) => number): Reducer {
  return {
    name,
    associative: true,
    lift: (output, id) => numberOf(name, output, id),
    combine: (a, b) => (a === null ? b : b === null ? a : pick(a as number, b as number)),
    empty: () => null,
  };
}

function appendTo(left: unknown[], right: readonly unknown[]): unknown[] {
  for (const item of right) left.push(item);
  return left;
}

/** The built-in reducers, all associative. */
export const BUILT_IN_REDUCERS: readonly Reducer[] = [
  {
    name: "concat",
    associative: true,
    lift: (o) => [o],
    combine: (a, b) => appendTo(a as unknown[], b as unknown[]),
    empty: () => [],
  },
  {
    name: "flatten",
    associative: true,
    lift: (o) => (Array.isArray(o) ? o : [o]),
    combine: (a, b) => appendTo(a as unknown[], b as unknown[]),
    empty: () => [],
    own: (a) => [...(a as unknown[])],
  },
  {
    name: "sum",
    associative: true,
    lift: (o, id) => numberOf("sum", o, id),
    combine: (a, b) => (a as number) + (b as number),
    empty: () => 0,
  },
  {
    name: "count",
    associative: true,
    lift: () => 1,
    combine: (a, b) => (a as number) + (b as number),
    empty: () => 0,
  },
  extreme("min", Math.min),
  extreme("max", Math.max),
  {
    name: "merge-counts",
    associative: true,
    lift: (o, id) => {
      const counts = objectOf("merge-counts", o, id);
      // Checked through Object.values: a third of the cost of a lookup per key.
      for (const value of Object.values(counts)) numberOf("merge-counts", value, id);
      return counts;
    },
    own: copyOf,
    combine: (a, b) => {
      const left = a as Record<string, number>;
      // Keys and values read as two arrays (same order): a keyed read of a large object costs
      // as much as the merge itself.
      const keys = Object.keys(b as object);
      const values = Object.values(b as Record<string, number>);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        setOwn(left, key, (Object.hasOwn(left, key) ? left[key]! : 0) + values[i]!);
      }
      return left;
    },
    empty: () => ({}),
  },
  {
    name: "merge-objects",
    associative: true,
    lift: (o, id) => objectOf("merge-objects", o, id),
    own: copyOf,
    combine: (a, b) => {
      const left = a as Record<string, unknown>;
      const keys = Object.keys(b as object);
      const values = Object.values(b as object);
      for (let i = 0; i < keys.length; i++) setOwn(left, keys[i]!, values[i]);
      return left;
    },
    empty: () => ({}),
  },
];

/**
 * Builds a reducer from a custom fold function.
 *
 * @param name - the reducer's name
 * @param fn - the fold
 * @param options - associativity and initial value
 * @returns the reducer
 */
export function customReducer(
  name: string,
  fn: CustomReducerFn,
  options: CustomReducerOptions = {},
): Reducer {
  const call = (args: unknown[]): unknown => {
    try {
      return (fn as (...a: unknown[]) => unknown)(...args);
    } catch (error) {
      throw new EchelonError(
        MapReduceErrorCode.REDUCE_FAILED,
        `Custom reducer "${name}" threw: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, details: { reducer: name } },
      );
    }
  };
  const form = options.form ?? (fn.length === 1 ? "list" : "fold");
  if (form === "list") {
    // Outputs are gathered in child order (concatenation is associative, so they can be
    // gathered as they arrive) and handed to the function once, at the end.
    return {
      name,
      associative: true,
      lift: (o) => [o],
      combine: (left, right) => {
        (left as unknown[]).push(...(right as unknown[]));
        return left;
      },
      empty: () => [],
      finish: (all) => call([all]),
    };
  }
  const initial = options.initial;
  const clone = (): unknown => (initial === undefined ? null : structuredClone(initial));
  return {
    name,
    associative: options.associative === true,
    lift: (o) => o,
    combine: (a, b) => call([a, b]),
    empty: clone,
    ...(options.associative !== true && initial !== undefined ? { start: clone } : {}),
  };
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createFolder } from "../src/folder.js";
import { BUILT_IN_REDUCERS, type Reducer } from "../src/reducer.js";
import { runMapReduce, turnAgent } from "./helpers.js";

const byName = (name: string): Reducer => BUILT_IN_REDUCERS.find((r) => r.name === name)!;

/** The reducer as it ran before `own`: `lift` copies every output, so no value is ever shared. */
function copying(reducer: Reducer): Reducer {
  const { own, ...rest } = reducer;
  return { ...rest, lift: (o, id) => own!(reducer.lift(o, id)) };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/** Folds `outputs` with arrivals in `order` (a permutation) and the indexes in `gaps` skipped. */
function fold(
  reducer: Reducer,
  outputs: readonly unknown[],
  order: readonly number[],
  gaps: ReadonlySet<number>,
) {
  const folder = createFolder(reducer);
  for (const i of order) {
    if (gaps.has(i)) folder.skip(i);
    else folder.add(i, outputs[i], `c${i}`);
  }
  return folder.result();
}

const OWNING = BUILT_IN_REDUCERS.filter((r) => r.own !== undefined).map((r) => r.name);

const word = fc.constantFrom("a", "b", "c", "__proto__", "constructor", "1", "0");
const outputFor = (reducer: string): fc.Arbitrary<unknown> =>
  reducer === "flatten"
    ? fc.oneof(
        fc.integer(),
        fc.array(fc.oneof(fc.integer(), fc.array(fc.integer(), { maxLength: 2 })), { maxLength: 4 }),
      )
    : fc
        .array(
          fc.tuple(word, reducer === "merge-counts" ? fc.integer({ min: -9, max: 9 }) : fc.jsonValue()),
          {
            maxLength: 5,
          },
        )
        // JSON.parse keeps a `__proto__` key as data, like an agent's output read from JSON.
        .map((pairs) => JSON.parse(JSON.stringify(Object.fromEntries(pairs.map(([k, v]) => [`${k}`, v])))));

const run = fc.constantFrom(...OWNING).chain((reducer) =>
  fc.record({
    reducer: fc.constant(reducer),
    outputs: fc.array(outputFor(reducer), { maxLength: 12 }),
    seed: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
    gapBits: fc.nat(),
  }),
);

describe("reducers that own their accumulator (no copy in lift)", () => {
  it("give the copying version's result, key order included, and never mutate or return an output", () => {
    expect(OWNING.sort()).toEqual(["flatten", "merge-counts", "merge-objects"]);
    fc.assert(
      fc.property(run, ({ reducer, outputs, seed, gapBits }) => {
        const order = outputs.map((_, i) => i).sort((a, b) => seed[a]! - seed[b]! || a - b);
        const gaps = new Set(outputs.map((_, i) => i).filter((i) => (gapBits >> i) & 1));
        const snapshot = structuredClone(outputs);
        const expected = fold(copying(byName(reducer)), structuredClone(outputs), order, gaps);
        const frozen = outputs.map((o) => deepFreeze(o));
        const actual = fold(byName(reducer), frozen, order, gaps);
        expect(actual).toEqual(expected);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
        expect(Object.getPrototypeOf(actual)).toBe(Object.getPrototypeOf(expected));
        expect(outputs).toEqual(snapshot);
        for (const o of outputs) expect(actual).not.toBe(o);
      }),
      { numRuns: 400 },
    );
  });

  it("copy at most once per fold: n outputs cost n - 1 combines and one `own`", () => {
    const base = byName("merge-counts");
    const calls = { own: 0, combine: 0 };
    const copied = new Set<unknown>();
    const counted: Reducer = {
      ...base,
      own: (v) => {
        expect(copied.has(v)).toBe(false);
        copied.add(v);
        calls.own++;
        return base.own!(v);
      },
      combine: (a, b) => {
        calls.combine++;
        return base.combine(a, b);
      },
    };
    const outputs = Array.from({ length: 50 }, (_, i) => deepFreeze({ w: i, [`k${i}`]: 1 }));
    const order = outputs.map((_, i) => (i * 17) % 50);
    const result = fold(counted, outputs, order, new Set()) as Record<string, number>;
    expect(result.w).toBe((49 * 50) / 2);
    expect(calls.combine).toBe(49);
    // Out-of-order arrivals build several segments; each is copied once, when first combined into.
    expect(calls.own).toBeGreaterThan(0);
    expect(calls.own).toBeLessThanOrEqual(calls.combine);
    calls.own = 0;
    calls.combine = 0;
    copied.clear();
    fold(
      counted,
      outputs,
      outputs.map((_, i) => i),
      new Set(),
    );
    expect(calls).toEqual({ own: 1, combine: 49 });
  });

  it("a fresh value (a partition's own result) is merged into without a copy", () => {
    const base = byName("merge-counts");
    let copies = 0;
    const counted: Reducer = {
      ...base,
      own: (v) => {
        copies++;
        return base.own!(v);
      },
    };
    const folder = createFolder(counted);
    const partial = { a: 1 };
    folder.add(0, partial, "partition-0", true);
    folder.add(1, deepFreeze({ a: 2, b: 1 }), "partition-1");
    expect(folder.result()).toEqual({ a: 3, b: 1 });
    expect(copies).toBe(0);
    expect(partial).toEqual({ a: 3, b: 1 });
  });

  it("an unowned lone result is copied, so the caller may mutate it", () => {
    const output = deepFreeze({ a: 1 });
    const result = fold(byName("merge-counts"), [output], [0], new Set()) as Record<string, number>;
    expect(result).toEqual({ a: 1 });
    expect(result).not.toBe(output);
    result.a = 2;
    expect(output.a).toBe(1);
  });
});

describe("no agent output is mutated by a map-reduce run", () => {
  it.each(
    OWNING.flatMap((reducer) => [
      [reducer, {}],
      [reducer, { combiner: reducer, chunkSize: 1 }],
      [reducer, { combiner: reducer, chunkSize: 4 }],
    ]),
  )("%s %o leaves every output as the agent returned it", async (reducer, extra) => {
    const made: unknown[] = [];
    const agent = turnAgent(
      (x) => {
        const n = Number(x);
        const output = reducer === "flatten" ? [n, n + 1] : { shared: n, [`k${n % 3}`]: n };
        made.push(output);
        return output;
      },
      (w) => (Number(w.input) * 7) % 5,
    );
    const inputs = Array.from({ length: 30 }, (_, i) => i);
    const r = await runMapReduce(inputs, [agent], { reducer, ...extra }, { keepOutputs: true });
    expect(r.error).toBeNull();
    expect(made).toHaveLength(30);
    // Every output is still exactly what the agent built (recomputed independently).
    for (const output of made) {
      if (Array.isArray(output)) expect(output).toEqual([output[0], (output[0] as number) + 1]);
      else {
        const n = (output as { shared: number }).shared;
        expect(output).toEqual({ shared: n, [`k${n % 3}`]: n });
      }
      expect(r.result).not.toBe(output);
    }
  });
});

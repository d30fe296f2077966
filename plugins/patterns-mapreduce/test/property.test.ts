import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runMapReduce, turnAgent } from "./helpers.js";

/** Reference semantics, written independently of the implementation: a plain sequential fold. */
const REFERENCE: Record<string, (outputs: number[]) => unknown> = {
  concat: (o) => o,
  flatten: (o) => o.flatMap((x) => [x]),
  sum: (o) => o.reduce((a, b) => a + b, 0),
  count: (o) => o.length,
  min: (o) => (o.length === 0 ? null : o.reduce((a, b) => Math.min(a, b))),
  max: (o) => (o.length === 0 ? null : o.reduce((a, b) => Math.max(a, b))),
  "merge-counts": (o) => {
    const counts: Record<string, number> = {};
    for (const x of o) counts[`k${Math.abs(x) % 3}`] = (counts[`k${Math.abs(x) % 3}`] ?? 0) + x;
    return counts;
  },
  "merge-objects": (o) => Object.assign({}, ...o.map((x) => ({ [`k${Math.abs(x) % 3}`]: x }))),
  join: (o) => (o.length === 0 ? null : o.map(String).join("|")),
};

const shape = (reducer: string) => (x: unknown) => {
  if (reducer === "join") return String(x);
  return reducer === "merge-counts" || reducer === "merge-objects"
    ? { [`k${Math.abs(Number(x)) % 3}`]: x }
    : x;
};

describe("map-reduce property", () => {
  it("equals a sequential fold for associative reducers under any partitioning, window and completion order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }),
        fc.constantFrom(...Object.keys(REFERENCE)),
        fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }),
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.array(fc.nat(6), { minLength: 1, maxLength: 40 }),
        async (values, reducer, chunkSize, capacity, withCombiner, delays) => {
          const agent = turnAgent(
            shape(reducer),
            (w) => delays[Number(w.taskId.slice(1)) % delays.length]!,
            undefined,
            capacity,
          );
          const options: Record<string, unknown> = { reducer };
          if (chunkSize !== undefined) options.chunkSize = chunkSize;
          // A combiner with the same associative reducer must not change the result (except for
          // count, whose combined partials are counts; and concat/flatten, which nest).
          if (
            withCombiner &&
            ["sum", "min", "max", "merge-counts", "merge-objects", "join"].includes(reducer)
          ) {
            options.combiner = reducer;
          }
          const r = await runMapReduce(values, [agent], options, {
            plugin: { reducers: { join: { fn: (a, b) => `${a}|${b}`, associative: true } } },
          });
          expect(r.error).toBeNull();
          expect(r.result).toEqual(REFERENCE[reducer]!(values));
        },
      ),
      { numRuns: 150 },
    );
  });
});

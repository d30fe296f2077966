import { describe, expect, it } from "vitest";
import { runMapReduce, turnAgent } from "./helpers.js";

const echo = [turnAgent((x) => x), turnAgent((x) => x)];
const words = "the cat and the hat and the bat".split(" ");

describe("built-in reducers", () => {
  it("concat keeps child order", async () => {
    const r = await runMapReduce(
      [3, 1, 2],
      [
        turnAgent(
          (x) => Number(x) * 10,
          (w) => 3 - Number(w.input),
        ),
      ],
    );
    expect(r.result).toEqual([30, 10, 20]);
    expect(r.details).toMatchObject({ reducer: "concat", incremental: true, mapped: 3, failed: 0 });
  });

  it("sum, count, min, max", async () => {
    const nums = [5, -2, 9, 4];
    expect((await runMapReduce(nums, echo, { reducer: "sum" })).result).toBe(16);
    expect((await runMapReduce(nums, echo, { reducer: "count" })).result).toBe(4);
    expect((await runMapReduce(nums, echo, { reducer: "min" })).result).toBe(-2);
    expect((await runMapReduce(nums, echo, { reducer: "max" })).result).toBe(9);
  });

  it("merge-counts counts words across slices", async () => {
    const counter = turnAgent((text) => {
      const counts: Record<string, number> = {};
      for (const w of String(text).split(" ")) counts[w] = (counts[w] ?? 0) + 1;
      return counts;
    });
    const r = await runMapReduce(["the cat and", "the hat and", "the bat"], [counter], {
      reducer: "merge-counts",
    });
    const expected: Record<string, number> = {};
    for (const w of words) expected[w] = (expected[w] ?? 0) + 1;
    expect(r.result).toEqual(expected);
  });

  it("merge-objects lets later children win; flatten flattens one level", async () => {
    const objs = [{ a: 1, b: 1 }, { b: 2 }, { c: 3 }];
    expect((await runMapReduce(objs, echo, { reducer: "merge-objects" })).result).toEqual({
      a: 1,
      b: 2,
      c: 3,
    });
    expect((await runMapReduce([[1, 2], 3, [[4]]], echo, { reducer: "flatten" })).result).toEqual([
      1,
      2,
      3,
      [4],
    ]);
  });

  it("merge-counts keeps a __proto__ key as data", async () => {
    const r = await runMapReduce([JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 2}')], echo, {
      reducer: "merge-counts",
    });
    expect(Object.getOwnPropertyDescriptor(r.result, "__proto__")?.value).toBe(3);
    expect(Object.getPrototypeOf(r.result)).toBe(Object.prototype);
  });

  it("an empty run yields the reducer's empty value", async () => {
    expect((await runMapReduce([], echo, { reducer: "sum" })).result).toBe(0);
    expect((await runMapReduce([], echo, { reducer: "concat" })).result).toEqual([]);
    expect((await runMapReduce([], echo, { reducer: "max" })).result).toBeNull();
  });

  it("a combiner folds each partition before the reducer", async () => {
    const r = await runMapReduce([1, 2, 3, 4, 5, 6, 7], echo, { combiner: "sum", chunkSize: 3 });
    expect(r.result).toEqual([6, 15, 7]);
    expect(r.details).toMatchObject({ combiner: "sum", chunkSize: 3, partitions: 3 });
  });
});

describe("custom reducers", () => {
  it("an associative custom reducer runs incrementally and respects child order", async () => {
    const r = await runMapReduce(
      ["a", "b", "c", "d"],
      [
        turnAgent(
          (x) => x,
          (w) => (w.input === "a" ? 5 : 0),
        ),
      ],
      {
        reducer: "join",
      },
      { plugin: { reducers: { join: { fn: (a, b) => `${a}${b}`, associative: true } } } },
    );
    expect(r.result).toBe("abcd");
    expect(r.details).toMatchObject({ incremental: true });
  });

  it("a non-associative custom reducer folds left to right from its initial value", async () => {
    const r = await runMapReduce(
      [10, 3, 2],
      echo,
      { reducer: "minus" },
      {
        plugin: { reducers: { minus: { fn: (a, b) => Number(a) - Number(b), initial: 100 } } },
      },
    );
    expect(r.result).toBe(85);
    expect(r.details).toMatchObject({ incremental: false });
  });

  it("without an initial value the fold starts from the first output", async () => {
    const r = await runMapReduce(
      [10, 3, 2],
      echo,
      { reducer: "minus" },
      {
        plugin: { reducers: { minus: (a, b) => Number(a) - Number(b) } },
      },
    );
    expect(r.result).toBe(5);
  });
});

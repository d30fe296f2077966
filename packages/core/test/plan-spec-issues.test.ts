import { describe, expect, it } from "vitest";
import { specToPlan, validateTaskSpec } from "../src/plan/index.js";
import { catchCoded, issuesOf } from "./plan-helpers.js";

const opts = { maxDepth: 3 };
const one = (spec: unknown) => issuesOf(() => specToPlan(spec, opts));

describe("spec issues", () => {
  it("names the path of an unknown dependency", () => {
    const spec = {
      description: "r",
      children: [{ id: "a", description: "a" }, { description: "c" }, { description: "x", dependsOn: ["b"] }],
    };
    expect(one(spec)).toEqual([{ path: "children[2].dependsOn[0]", message: 'unknown task "b"' }]);
  });

  it("reports every issue at once, and the message lists five and counts the rest", () => {
    const spec = {
      description: "",
      timeoutMs: -1,
      priority: Number.POSITIVE_INFINITY,
      retry: { attempts: 0, backoffMs: -5, factor: 0.5, maxBackoffMs: Number.NaN, jitter: 1 },
      capabilities: ["", 3],
      strategy: "",
      descripton: "typo",
    };
    const error = catchCoded(() => specToPlan(spec, opts), "ECHELON_SPEC_INVALID");
    const issues = error.details.issues as Array<{ path: string; message: string }>;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "description", message: "must not be empty" },
        { path: "timeoutMs", message: "must be greater than 0" },
        { path: "priority", message: "must be a finite number" },
        { path: "retry.attempts", message: "must be at least 1" },
        { path: "retry.backoffMs", message: "must not be negative" },
        { path: "retry.factor", message: "must be at least 1" },
        { path: "retry.maxBackoffMs", message: "must be a finite number" },
        { path: "retry", message: 'unknown key "jitter"' },
        { path: "capabilities[0]", message: "must not be empty" },
        { path: "capabilities[1]", message: "must be a string" },
        { path: "strategy", message: "must not be empty" },
        { path: "", message: 'unknown key "descripton"' },
      ]),
    );
    expect(issues).toHaveLength(12);
    const lines = error.message.split("\n");
    expect(lines[0]).toBe("The task spec is invalid (12 issues):");
    expect(lines.slice(1, 6).every((line) => /^[^:]+: /.test(line))).toBe(true);
    expect(lines[6]).toBe("…and 7 more issues (see details.issues)");
  });

  it("requires a non-empty description on every task", () => {
    expect(one({ children: [{ description: "   " }] })).toEqual([
      { path: "description", message: "is required" },
      { path: "children[0].description", message: "must not be empty" },
    ]);
    expect(one("just text")).toEqual([
      { path: "", message: "must be a task object { description, … }; got a string" },
    ]);
    // biome-ignore lint/suspicious/noSparseArray: a hole is what a sloppy generator produces
    expect(one({ description: "r", children: [, { description: "b" }] })).toEqual([
      { path: "children[0]", message: "must be a task object { description, … }; got undefined" },
    ]);
    expect(one({ description: "r", children: [null, []] })).toEqual([
      { path: "children[0]", message: "must be a task object { description, … }; got null" },
      { path: "children[1]", message: "must be a task object { description, … }; got an array" },
    ]);
  });

  it("checks id syntax and sibling uniqueness", () => {
    expect(
      one({
        id: "a/b",
        description: "r",
        children: [
          { id: "x#1", description: "a" },
          { id: "dup", description: "b" },
          { id: "dup", description: "c" },
          { id: "", description: "d" },
          { id: "s:compensate", description: "e" },
          { id: "x".repeat(129), description: "f" },
        ],
      }).map((i) => i.path),
    ).toEqual([
      "id",
      "children[0].id",
      "children[3].id",
      "children[4].id",
      "children[5].id",
      "children[2].id",
    ]);
    expect(
      one({
        description: "r",
        children: [
          { id: "dup", description: "b" },
          { id: "dup", description: "c" },
        ],
      }),
    ).toEqual([{ path: "children[1].id", message: 'duplicate id "dup" (also used by children[0])' }]);
    expect(specToPlan({ id: "A-z_0.9:x", description: "r" }, opts).taskId).toBe("A-z_0.9:x");
  });

  it("checks dependsOn: siblings only, not itself, no duplicates, not on the root", () => {
    const spec = {
      description: "r",
      dependsOn: ["up"],
      children: [
        { id: "a", description: "a", dependsOn: ["a", "b", "b", ""] },
        { id: "b", description: "b", children: [{ description: "deep" }], dependsOn: "a" },
      ],
    };
    expect(one(spec)).toEqual([
      { path: "children[0].dependsOn[3]", message: "must not be empty" },
      { path: "children[1].dependsOn", message: "must be an array of strings" },
      { path: "dependsOn[0]", message: 'unknown task "up" (the root task has no siblings)' },
      { path: "children[0].dependsOn[0]", message: "a task cannot depend on itself" },
      { path: "children[0].dependsOn[2]", message: 'duplicate dependency "b"' },
    ]);
  });

  it("checks pattern, patternOptions, metadata, children and compensate types", () => {
    expect(
      one({
        description: "r",
        pattern: "",
        patternOptions: [1],
        metadata: "m",
        children: [{ description: "leaf", pattern: "mapreduce" }],
      }),
    ).toEqual([
      { path: "pattern", message: "must not be empty" },
      { path: "patternOptions", message: "must be a plain object; got an array" },
      { path: "metadata", message: "must be a plain object; got a string" },
      {
        path: "children[0].pattern",
        message: 'a task without children takes no pattern; add children or remove "pattern"',
      },
    ]);
    expect(one({ description: "r", children: { a: 1 } })).toEqual([
      { path: "children", message: "must be an array of tasks" },
    ]);
  });

  it("requires a compensation to be a plain leaf task", () => {
    const issues = one({
      description: "r",
      compensate: {
        id: "undo",
        description: "undo",
        children: [{ description: "x" }],
        compensate: { description: "again" },
        dependsOn: ["r"],
      },
    });
    expect(issues.map((i) => i.path)).toEqual([
      "compensate.id",
      "compensate.children",
      "compensate.compensate",
      "compensate.dependsOn",
    ]);
    expect(one({ description: "r", compensate: "undo" })).toEqual([
      { path: "compensate", message: "must be a task object { description, … }; got a string" },
    ]);
  });

  it("refuses non-finite, negative and out-of-range limits", () => {
    const bad = [
      [{ timeoutMs: 0 }, "timeoutMs", "must be greater than 0"],
      [{ timeoutMs: Number.POSITIVE_INFINITY }, "timeoutMs", "must be a finite number"],
      [{ timeoutMs: 2 ** 31 }, "timeoutMs", "must be at most 2147483647 ms"],
      [{ retry: { attempts: 1.5 } }, "retry.attempts", "must be an integer"],
      [{ retry: { backoffMs: Number.NEGATIVE_INFINITY } }, "retry.backoffMs", "must be a finite number"],
      [{ retry: { maxBackoffMs: -1 } }, "retry.maxBackoffMs", "must not be negative"],
      [{ retry: 3 }, "retry", "must be an object { attempts?, backoffMs?, factor?, maxBackoffMs? }"],
      [{ priority: Number.NaN }, "priority", "must be a finite number"],
    ] as const;
    for (const [fields, path, message] of bad) {
      expect(one({ description: "r", ...fields })).toEqual([{ path, message }]);
    }
    expect(
      specToPlan({ description: "r", timeoutMs: 1, retry: { attempts: 1, backoffMs: 0, factor: 1 } }, opts)
        .root.retry,
    ).toEqual({
      attempts: 1,
      backoffMs: 0,
      factor: 1,
    });
  });

  it("refuses __proto__, constructor and prototype keys anywhere", () => {
    const spec = JSON.parse(
      '{"description":"r","__proto__":{"polluted":true},"input":{"a":{"constructor":{}}},' +
        '"metadata":{"prototype":1},"patternOptions":{"x":[{"__proto__":null}]},' +
        '"children":[{"description":"c","retry":{"__proto__":{}}}]}',
    );
    expect(one(spec)).toEqual([
      { path: "", message: 'forbidden key "__proto__"' },
      { path: "input.a", message: 'forbidden key "constructor"' },
      { path: "patternOptions.x[0]", message: 'forbidden key "__proto__"' },
      { path: "metadata", message: 'forbidden key "prototype"' },
      { path: "children[0].retry", message: 'forbidden key "__proto__"' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("requires input, patternOptions and metadata to be JSON", () => {
    class Point {
      x = 1;
    }
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const issues = one({
      description: "r",
      input: {
        f: () => 1,
        n: Number.NaN,
        big: 10n,
        p: new Point(),
        c: cyclic,
        bad: new Date(Number.NaN),
        "odd key": Symbol("s"),
      },
    });
    expect(issues).toEqual([
      { path: "input.f", message: "is a function, which JSON cannot hold" },
      { path: "input.n", message: "must be a finite number (JSON has no NaN)" },
      { path: "input.big", message: "is a bigint, which JSON cannot hold" },
      { path: "input.p", message: "is an instance of Point; use plain objects and arrays" },
      { path: "input.c.self", message: "refers back to an enclosing value (a cycle)" },
      { path: "input.bad", message: "is an invalid Date" },
      { path: 'input["odd key"]', message: "is a symbol, which JSON cannot hold" },
    ]);
  });

  it("accepts shared (acyclic) references in JSON fields", () => {
    const shared = { v: [1, 2] };
    const plan = specToPlan({ description: "r", input: { a: shared, b: shared } }, opts);
    expect(plan.root.input).toEqual({ a: { v: [1, 2] }, b: { v: [1, 2] } });
  });

  it("refuses pathologically nested JSON values without overflowing the stack", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const issues = one({ description: "r", metadata: { deep } });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe("nests deeper than 256 levels");
    expect(issues[0]!.path.startsWith("metadata.deep[0][0]")).toBe(true);
  });

  it("validateTaskSpec reports the same issues", () => {
    const issues = issuesOf(() => validateTaskSpec({ description: 1 }, opts));
    expect(issues).toEqual([{ path: "description", message: "must be a string" }]);
  });
});

import { describe, expect, it } from "vitest";
import { MAX_PLAN_DEPTH, specToPlan, validatePlan, validateTaskSpec } from "../src/plan/index.js";
import { catchCoded, issuesOf, nested } from "./plan-helpers.js";

describe("depth limits", () => {
  it("accepts a tree exactly maxDepth deep", () => {
    expect(specToPlan(nested(3), { maxDepth: 3 }).depth).toBe(3);
    expect(specToPlan({ description: "only" }, { maxDepth: 0 }).depth).toBe(0);
  });

  it("refuses one level more with the depth, the limit and the path", () => {
    const error = catchCoded(() => specToPlan(nested(4), { maxDepth: 3 }), "ECHELON_SPEC_TOO_DEEP");
    expect(error.details).toEqual({
      maxDepth: 3,
      depth: 4,
      path: "children[0].children[0].children[0].children[0]",
    });
    expect(error.message).toContain("maxDepth 3");
    expect(error.message).toContain("children[0].children[0].children[0].children[0] is at depth 4");
  });

  it("gives a coded error, not a stack overflow, for 10,000 and 100,000 levels", () => {
    for (const levels of [10_000, 100_000]) {
      const spec = nested(levels);
      for (const run of [
        () => specToPlan(spec, { maxDepth: 64 }),
        () => validateTaskSpec(spec, { maxDepth: 5 }),
      ]) {
        const error = catchCoded(run, "ECHELON_SPEC_TOO_DEEP");
        expect(error.details.depth).toBe((error.details.maxDepth as number) + 1);
      }
    }
  });

  it("finds a too-deep node even when the spec also has other issues", () => {
    const spec = { description: 1, children: [{ description: "x", children: [{ description: "y" }] }] };
    catchCoded(() => specToPlan(spec, { maxDepth: 1 }), "ECHELON_SPEC_TOO_DEEP");
  });

  it("refuses a spec whose object graph loops back on itself as too deep", () => {
    const loop: Record<string, unknown> = { description: "loop" };
    loop.children = [loop];
    catchCoded(() => specToPlan(loop, { maxDepth: 10 }), "ECHELON_SPEC_TOO_DEEP");
  });

  it("validates maxDepth itself: an integer from 0 to 64", () => {
    for (const maxDepth of [-1, 1.5, 65, Number.NaN, Number.POSITIVE_INFINITY, "3"]) {
      const error = catchCoded(
        () => specToPlan({ description: "x" }, { maxDepth: maxDepth as number }),
        "ECHELON_CONFIG_INVALID",
      );
      expect(error.details.option).toBe("maxDepth");
    }
    expect(specToPlan(nested(MAX_PLAN_DEPTH), { maxDepth: MAX_PLAN_DEPTH }).depth).toBe(64);
  });

  it("validates the other options", () => {
    const bad = [
      { maxDepth: 1, patterns: "fork-join" },
      { maxDepth: 1, patterns: [""] },
      { maxDepth: 1, choosePattern: "fork-join" },
      { maxDepth: 1, defaultPattern: "" },
      { maxDepth: 1, source: 7 },
      { maxDepth: 1, maxNodes: 0 },
      { maxDepth: 1, maxNodes: Number.POSITIVE_INFINITY },
    ];
    for (const options of bad) {
      catchCoded(() => specToPlan({ description: "x" }, options as never), "ECHELON_CONFIG_INVALID");
    }
    catchCoded(() => specToPlan({ description: "x" }, null as never), "ECHELON_CONFIG_INVALID");
  });

  it("builds a 10,000-node plan (100 groups of 99 leaves) with every node in place", () => {
    const spec = {
      description: "root",
      children: Array.from({ length: 100 }, (_, g) => ({
        id: `g${g}`,
        description: `group ${g}`,
        children: Array.from({ length: 99 }, (_, l) => ({ description: `leaf ${l}`, input: { g, l } })),
      })),
    };
    const plan = specToPlan(spec, { maxDepth: 2 });
    expect(plan).toMatchObject({ nodeCount: 10_001, leafCount: 9_900, depth: 2 });
    expect(plan.root.children[99]!.children[98]).toMatchObject({
      path: "root/g99/99",
      input: { g: 99, l: 98 },
    });
    expect(validatePlan(JSON.parse(JSON.stringify(plan)), { maxDepth: 2 })).toEqual(plan);
  });

  it("refuses more tasks than maxNodes", () => {
    const spec = {
      description: "r",
      children: [{ description: "a" }, { description: "b", children: [{ description: "c" }] }],
    };
    expect(specToPlan(spec, { maxDepth: 2, maxNodes: 4 }).nodeCount).toBe(4);
    const issues = issuesOf(() => specToPlan(spec, { maxDepth: 2, maxNodes: 3 }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toContain("more than maxNodes (3)");
  });
});

describe("dependency cycles", () => {
  it("names the cycle in order and the parent's path", () => {
    const spec = {
      description: "r",
      children: [
        { description: "ok" },
        {
          id: "group",
          description: "g",
          children: [
            { id: "a", description: "a", dependsOn: ["c"] },
            { id: "b", description: "b", dependsOn: ["a"] },
            { id: "c", description: "c", dependsOn: ["b"] },
            { id: "d", description: "d", dependsOn: ["a"] },
          ],
        },
      ],
    };
    const error = catchCoded(() => specToPlan(spec, { maxDepth: 2 }), "ECHELON_SPEC_DEPENDENCY_CYCLE");
    expect(error.details).toEqual({
      cycle: ["a", "c", "b", "a"],
      path: "children[1]",
      nodePath: "root/group",
    });
    expect(error.message).toContain("a → c → b → a");
    expect(error.message).toContain("children[1]");
  });

  it("detects a two-node cycle and accepts a diamond", () => {
    const cyclic = {
      description: "r",
      children: [
        { id: "a", description: "a", dependsOn: ["b"] },
        { id: "b", description: "b", dependsOn: ["a"] },
      ],
    };
    const error = catchCoded(
      () => validateTaskSpec(cyclic, { maxDepth: 1 }),
      "ECHELON_SPEC_DEPENDENCY_CYCLE",
    );
    expect(error.details.cycle).toEqual(["a", "b", "a"]);
    expect(error.message).toContain("a → b → a");
    const diamond = {
      description: "r",
      children: [
        { id: "a", description: "a" },
        { id: "b", description: "b", dependsOn: ["a"] },
        { id: "c", description: "c", dependsOn: ["a"] },
        { id: "d", description: "d", dependsOn: ["b", "c"] },
      ],
    };
    expect(specToPlan(diamond, { maxDepth: 1 }).leafCount).toBe(4);
  });

  it("handles a long dependency chain without recursion", () => {
    const children = Array.from({ length: 20_000 }, (_, i) => ({
      id: `t${i}`,
      description: `step ${i}`,
      ...(i > 0 ? { dependsOn: [`t${i - 1}`] } : {}),
    }));
    expect(specToPlan({ description: "chain", children }, { maxDepth: 1 }).nodeCount).toBe(20_001);
    children[0] = { id: "t0", description: "step 0", dependsOn: ["t19999"] };
    const error = catchCoded(
      () => specToPlan({ description: "chain", children }, { maxDepth: 1 }),
      "ECHELON_SPEC_DEPENDENCY_CYCLE",
    );
    expect((error.details.cycle as string[]).length).toBe(20_001);
  });
});

describe("unknown patterns", () => {
  const patterns = ["fork-join", "mapreduce"];

  it("refuses a named pattern outside the registered list, listing every use", () => {
    const spec = {
      description: "r",
      pattern: "sagga",
      children: [
        { description: "a", pattern: "mapreduce", children: [{ description: "x" }] },
        { description: "b", pattern: "pipe", children: [{ description: "y" }] },
      ],
    };
    for (const run of [
      () => specToPlan(spec, { maxDepth: 2, patterns }),
      () => validateTaskSpec(spec, { maxDepth: 2, patterns }),
    ]) {
      const error = catchCoded(run, "ECHELON_PATTERN_UNKNOWN");
      expect(error.details).toMatchObject({ pattern: "sagga", path: "pattern", known: patterns });
      expect(error.details.issues).toEqual([
        { path: "pattern", message: 'unknown pattern "sagga"' },
        { path: "children[1].pattern", message: 'unknown pattern "pipe"' },
      ]);
      expect(error.message).toContain("known: fork-join, mapreduce");
    }
  });

  it("refuses a default or chosen pattern that is not registered", () => {
    const spec = { description: "r", children: [{ description: "a" }] };
    const error = catchCoded(
      () => specToPlan(spec, { maxDepth: 1, patterns: ["mapreduce"] }),
      "ECHELON_PATTERN_UNKNOWN",
    );
    expect(error.details.pattern).toBe("fork-join");
    catchCoded(
      () => specToPlan(spec, { maxDepth: 1, patterns, choosePattern: () => "nope" }),
      "ECHELON_PATTERN_UNKNOWN",
    );
    expect(specToPlan(spec, { maxDepth: 1, patterns, choosePattern: () => "mapreduce" }).root.pattern).toBe(
      "mapreduce",
    );
  });

  it("also applies to validatePlan", () => {
    const plan = JSON.parse(
      JSON.stringify(specToPlan({ description: "r", children: [{ description: "a" }] }, { maxDepth: 1 })),
    );
    catchCoded(() => validatePlan(plan, { maxDepth: 1, patterns: ["mapreduce"] }), "ECHELON_PATTERN_UNKNOWN");
    expect(validatePlan(plan, { maxDepth: 1, patterns }).root.pattern).toBe("fork-join");
  });
});

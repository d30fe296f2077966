import { describe, expect, it } from "vitest";
import type { Plan } from "../src/model/task.js";
import { specToPlan, validatePlan } from "../src/plan/index.js";
import { catchCoded, issuesOf } from "./plan-helpers.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests edit stored plan JSON freely, like a hand-edited file
type Mutable = Record<string, any>;

function storedPlan(): Mutable {
  const plan = specToPlan(
    {
      id: "job",
      description: "r",
      pattern: "fork-join",
      children: [
        { id: "a", description: "a", input: { n: 1 }, compensate: { description: "undo a" } },
        {
          id: "b",
          description: "b",
          dependsOn: ["a"],
          children: [{ description: "b1" }, { description: "b2" }],
        },
      ],
    },
    { maxDepth: 3, source: "llm" },
  );
  return JSON.parse(JSON.stringify(plan));
}

describe("validatePlan", () => {
  it("returns an equal, frozen copy of a consistent plan", () => {
    const stored = storedPlan();
    const plan: Plan = validatePlan(stored, { maxDepth: 3 });
    expect(plan).toEqual(stored);
    expect(plan).not.toBe(stored);
    expect(Object.isFrozen(plan.root.children[0]!.input)).toBe(true);
    expect(Object.isFrozen(plan.root.children[1]!.children)).toBe(true);
    expect(Object.isFrozen(stored.root)).toBe(false);
    expect(plan.source).toBe("llm");
  });

  it("accepts a complexity judged higher than the structure shows, not lower", () => {
    const stored = storedPlan();
    stored.root.children[0].complexity = "complex";
    expect(validatePlan(stored, { maxDepth: 3 }).root.children[0]!.complexity).toBe("complex");
    stored.root.complexity = "simple";
    expect(issuesOf(() => validatePlan(stored, { maxDepth: 3 }))).toEqual([
      {
        path: "root.complexity",
        message: 'is "simple" but the subtree is 2 levels tall (at least "moderate")',
      },
    ]);
  });

  it("checks paths, depths, patterns and compensations against the tree", () => {
    const stored = storedPlan();
    stored.root.children[1].path = "job/x";
    stored.root.children[1].children[0].depth = 1;
    stored.root.children[1].pattern = null;
    stored.root.children[0].pattern = "mapreduce";
    stored.root.children[0].compensate.id = "undo";
    stored.root.children[0].compensate.children = [{ id: "z" }];
    expect(issuesOf(() => validatePlan(stored, { maxDepth: 3 }))).toEqual([
      {
        path: "root.children[0].compensate.children",
        message: "a compensating node must be a leaf (no children)",
      },
      { path: "root.children[0].pattern", message: "must be null for a leaf (a node without children)" },
      {
        path: "root.children[0].compensate.id",
        message: 'must be "a:compensate" (the id of its task + ":compensate")',
      },
      { path: "root.children[1].path", message: 'is "job/x" but the ids from the root give "job/b"' },
      { path: "root.children[1].pattern", message: "a composite node (with children) needs a pattern" },
      { path: "root.children[1].children[0].depth", message: "is 1 but the node is at depth 2" },
    ]);
  });

  it("checks taskId and the counts", () => {
    const stored = storedPlan();
    Object.assign(stored, { taskId: "other", nodeCount: 9, leafCount: 1, depth: 1 });
    expect(issuesOf(() => validatePlan(stored, { maxDepth: 3 }))).toEqual([
      { path: "taskId", message: 'is "other" but the root\'s id is "job"' },
      { path: "nodeCount", message: "is 9 but the tree has 5 nodes (compensations excluded)" },
      { path: "leafCount", message: "is 1 but the tree has 3 leaves" },
      { path: "depth", message: "is 1 but the tree has 2 as its deepest depth" },
    ]);
  });

  it("applies the spec rules: required fields, ids, dependsOn, limits, unknown and forbidden keys", () => {
    const stored = storedPlan();
    delete stored.root.children[0].input;
    delete stored.root.children[0].description;
    stored.root.children[1].id = "a";
    stored.root.children[1].dependsOn = ["nope"];
    stored.root.children[1].children[1].timeoutMs = -3;
    stored.root.children[1].children[1].extra = true;
    stored.root.metadata = JSON.parse('{"__proto__":{"x":1}}');
    const issues = issuesOf(() => validatePlan(stored, { maxDepth: 3 }));
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: "root.metadata", message: 'forbidden key "__proto__"' },
        { path: "root.children[0].input", message: "is required" },
        { path: "root.children[0].description", message: "is required" },
        { path: "root.children[1].id", message: 'duplicate id "a" (also used by root.children[0])' },
        { path: "root.children[1].dependsOn[0]", message: 'unknown task "nope"' },
        { path: "root.children[1].children[1].timeoutMs", message: "must be greater than 0" },
        { path: "root.children[1].children[1]", message: 'unknown key "extra"' },
        { path: "root.children[1].path", message: 'is "job/b" but the ids from the root give "job/a"' },
      ]),
    );
    expect(issues).toHaveLength(9);
  });

  it("refuses a non-object, a missing root and a cycle", () => {
    expect(issuesOf(() => validatePlan("plan", { maxDepth: 3 }))).toEqual([
      { path: "", message: "must be a plan object { taskId, root, nodeCount, … }" },
    ]);
    const { root: _root, ...rest } = storedPlan();
    expect(issuesOf(() => validatePlan(rest, { maxDepth: 3 }))).toContainEqual({
      path: "root",
      message: "is required",
    });
    const stored = storedPlan();
    stored.root.children[0].dependsOn = ["b"];
    const error = catchCoded(() => validatePlan(stored, { maxDepth: 3 }), "ECHELON_SPEC_DEPENDENCY_CYCLE");
    expect(error.details).toEqual({ cycle: ["a", "b", "a"], path: "root", nodePath: "job" });
  });

  it("refuses a plan deeper than maxDepth, however deep, with a coded error", () => {
    catchCoded(() => validatePlan(storedPlan(), { maxDepth: 1 }), "ECHELON_SPEC_TOO_DEEP");
    let node: Mutable = { id: "leaf" };
    for (let i = 0; i < 100_000; i++) node = { id: `n${i}`, children: [node] };
    const error = catchCoded(
      () => validatePlan({ taskId: "n", root: node }, { maxDepth: 64 }),
      "ECHELON_SPEC_TOO_DEEP",
    );
    expect(error.details).toMatchObject({ maxDepth: 64, depth: 65 });
    expect((error.details.path as string).startsWith("root.children[0]")).toBe(true);
  });
});

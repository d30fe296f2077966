import { describe, expect, it } from "vitest";
import type { PlanNode, TaskSpec } from "../src/model/task.js";
import { specToPlan, validateTaskSpec, walkPlan } from "../src/plan/index.js";
import { catchCoded } from "./plan-helpers.js";

const report: TaskSpec = {
  description: "quarterly report",
  pattern: "fork-join",
  children: [
    { id: "fetch", description: "fetch sales", capabilities: ["http"], input: { region: "EU" } },
    { description: "fetch costs", priority: 2, timeoutMs: 500, retry: { attempts: 3, backoffMs: 10 } },
    {
      id: "sum",
      description: "sum up",
      dependsOn: ["fetch", "2"],
      strategy: "least-loaded",
      metadata: { owner: "finance" },
      compensate: { description: "delete the draft" },
    },
  ],
};

describe("specToPlan", () => {
  it("builds nodes with ids, paths, depths, complexities and defaults", () => {
    const plan = specToPlan(report, { maxDepth: 2 });
    expect(plan).toMatchObject({ taskId: "root", nodeCount: 4, leafCount: 3, depth: 1, source: "spec" });
    const [fetch, costs, sum] = plan.root.children;
    expect(plan.root).toMatchObject({
      id: "root",
      path: "root",
      depth: 0,
      complexity: "simple",
      pattern: "fork-join",
    });
    expect(fetch).toEqual({
      id: "fetch",
      path: "root/fetch",
      description: "fetch sales",
      input: { region: "EU" },
      depth: 1,
      complexity: "atomic",
      pattern: null,
      patternOptions: {},
      capabilities: ["http"],
      priority: 0,
      dependsOn: [],
      children: [],
      compensate: null,
      timeoutMs: null,
      retry: null,
      strategy: null,
      metadata: {},
      expand: null,
    });
    expect(costs).toMatchObject({
      id: "2",
      path: "root/2",
      priority: 2,
      timeoutMs: 500,
      retry: { attempts: 3, backoffMs: 10 },
    });
    expect(sum).toMatchObject({
      dependsOn: ["fetch", "2"],
      strategy: "least-loaded",
      metadata: { owner: "finance" },
    });
    expect(sum!.compensate).toMatchObject({
      id: "sum:compensate",
      path: "root/sum:compensate",
      depth: 1,
      pattern: null,
      children: [],
      compensate: null,
      complexity: "atomic",
    });
  });

  it("uses the root id when given and counts complexity from the subtree height", () => {
    const spec = {
      id: "job",
      description: "a",
      children: [{ description: "b", children: [{ description: "c" }] }],
    };
    const plan = specToPlan(spec, { maxDepth: 4, source: "llm" });
    expect(plan.taskId).toBe("job");
    expect(plan.source).toBe("llm");
    expect(plan.root.complexity).toBe("moderate");
    expect(plan.root.children[0]!.complexity).toBe("simple");
    expect(plan.root.children[0]!.children[0]!.path).toBe("job/1/1");
    expect(plan.depth).toBe(2);
  });

  it("gives generated ids that never collide with explicit sibling ids", () => {
    const plan = specToPlan(
      {
        description: "r",
        children: [
          { description: "first" },
          { id: "1", description: "explicit" },
          { id: "3-2", description: "x" },
          { description: "third" },
        ],
      },
      { maxDepth: 1 },
    );
    expect(plan.root.children.map((c) => c.id)).toEqual(["1-2", "1", "3-2", "4"]);
    const clash = specToPlan(
      {
        description: "r",
        children: [{ id: "2", description: "a" }, { description: "b" }, { id: "2-2", description: "c" }],
      },
      { maxDepth: 1 },
    );
    expect(clash.root.children.map((c) => c.id)).toEqual(["2", "2-3", "2-2"]);
  });

  it("picks patterns for composites without one: choosePattern, else defaultPattern, else fork-join", () => {
    const spec = { description: "r", children: [{ description: "a", children: [{ description: "x" }] }] };
    expect(specToPlan(spec, { maxDepth: 2 }).root.pattern).toBe("fork-join");
    expect(specToPlan(spec, { maxDepth: 2, defaultPattern: "pipeline" }).root.children[0]!.pattern).toBe(
      "pipeline",
    );
    const seen: Array<[string | undefined, number]> = [];
    const plan = specToPlan(spec, {
      maxDepth: 2,
      choosePattern: (node, depth) => {
        seen.push([node.id, depth]);
        return depth === 0 ? "mapreduce" : "pipeline";
      },
    });
    expect(plan.root.pattern).toBe("mapreduce");
    expect(plan.root.children[0]!.pattern).toBe("pipeline");
    expect(seen.sort()).toEqual([
      ["1", 1],
      ["root", 0],
    ]);
  });

  it("refuses a choosePattern that returns no name, and rethrows its coded errors", () => {
    const spec = { description: "r", children: [{ description: "a" }] };
    catchCoded(() => specToPlan(spec, { maxDepth: 1, choosePattern: () => "" }), "ECHELON_CONFIG_INVALID");
    const thrown = catchCoded(
      () =>
        specToPlan(spec, {
          maxDepth: 1,
          choosePattern: () => {
            throw new Error("boom");
          },
        }),
      "ECHELON_CONFIG_INVALID",
    );
    expect((thrown.cause as Error).message).toBe("boom");
  });

  it("deep-freezes the plan and copies JSON fields instead of freezing the caller's objects", () => {
    const input = { items: [1, 2, { deep: true }] };
    const plan = specToPlan(
      { description: "r", input, children: [{ description: "a", metadata: { m: [1] } }] },
      { maxDepth: 1 },
    );
    expect(Object.isFrozen(input)).toBe(false);
    expect(plan.root.input).toEqual(input);
    expect(plan.root.input).not.toBe(input);
    const frozen: unknown[] = [];
    walkPlan(plan.root, (node: PlanNode) => {
      frozen.push(
        node,
        node.children,
        node.capabilities,
        node.dependsOn,
        node.metadata,
        node.patternOptions,
        node.input,
      );
    });
    frozen.push(
      plan,
      (plan.root.input as { items: unknown[] }).items,
      (plan.root.input as { items: object[] }).items[2],
    );
    for (const value of frozen) expect(Object.isFrozen(value)).toBe(true);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it("drops undefined members like JSON and turns a Date into its ISO string", () => {
    const when = new Date("2026-01-02T03:04:05.000Z");
    const plan = specToPlan(
      { description: "r", id: undefined, input: { when, gone: undefined, list: [undefined] } },
      { maxDepth: 0 },
    );
    expect(plan.root.input).toEqual({ when: "2026-01-02T03:04:05.000Z", list: [null] });
    expect(plan.root.id).toBe("root");
  });
});

describe("validateTaskSpec", () => {
  it("returns a frozen normalised copy with ids filled in, keeping absent fields absent", () => {
    const spec = validateTaskSpec(report, { maxDepth: 2, patterns: ["fork-join"] });
    expect(spec).not.toBe(report);
    expect(spec.id).toBe("root");
    expect(spec.children!.map((c) => c.id)).toEqual(["fetch", "2", "sum"]);
    expect(spec.children![2]!.compensate).toEqual({ description: "delete the draft" });
    expect("priority" in spec.children![0]!).toBe(false);
    expect(Object.isFrozen(spec)).toBe(true);
    expect(Object.isFrozen(spec.children)).toBe(true);
    expect(Object.isFrozen(spec.children![1]!.retry)).toBe(true);
  });

  it("is idempotent: a normalised spec validates to an equal spec and the same plan", () => {
    const once = validateTaskSpec(report, { maxDepth: 2 });
    expect(validateTaskSpec(once, { maxDepth: 2 })).toEqual(once);
    expect(specToPlan(once, { maxDepth: 2 })).toEqual(specToPlan(report, { maxDepth: 2 }));
  });

  it("accepts own __proto__-free JSON from JSON.parse", () => {
    const spec = validateTaskSpec(JSON.parse('{"description":"x","input":{"a":[1,"b",null]}}'), {
      maxDepth: 0,
    });
    expect(spec.input).toEqual({ a: [1, "b", null] });
  });
});

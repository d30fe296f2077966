import { gzipSync } from "node:zlib";
import type { Plan } from "@echelon/core";
import { specToPlan } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { decodeCompactPlan, decodeStoredPlan, encodeCompactPlan, PlanEncoding } from "../src/codec/plan.js";

/** A plan using every field of a node at a value other than its default somewhere. */
function richPlan(): Plan {
  return specToPlan(
    {
      id: "root",
      description: "every field",
      pattern: "saga",
      input: { files: ["a", "b"], nested: { deep: [1, null, "é✓"] } },
      metadata: { owner: "ops" },
      children: [
        {
          id: "fetch",
          description: "fork",
          pattern: "fork-join",
          patternOptions: { join: "all-settled" },
          priority: 3,
          children: [
            { id: "a", description: "a", input: 1, capabilities: ["net"], timeoutMs: 500 },
            { id: "b", description: "b", input: null, dependsOn: ["a"], retry: { attempts: 3 } },
            { id: "c", description: "c", strategy: "round-robin" },
          ],
        },
        { id: "write", description: "write", input: "x", compensate: { description: "undo write" } },
        { id: "__proto__x", description: "odd id", input: { __proto__: 1 } },
        {
          id: "grow",
          description: "grows at run time",
          input: [1, 2],
          pattern: "fork-join",
          expand: { each: { description: "item" } },
        },
      ],
    },
    { maxDepth: 3, patterns: ["saga", "fork-join"] },
  );
}

function leaves(n: number): Plan {
  return specToPlan(
    {
      id: "fanout",
      description: "fan-out",
      pattern: "mapreduce",
      patternOptions: { reducer: "sum" },
      children: Array.from({ length: n }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
    },
    { maxDepth: 1, patterns: ["mapreduce"] },
  );
}

const jsonRoundTrip = (plan: Plan): unknown => JSON.parse(JSON.stringify(plan));

describe("the compact plan form", () => {
  it("decodes to what a JSON round trip gives, key for key and in order", () => {
    for (const plan of [richPlan(), leaves(3), leaves(1)]) {
      const text = encodeCompactPlan(plan);
      expect(text).not.toBeNull();
      const decoded = decodeCompactPlan(text!);
      expect(decoded).toStrictEqual(jsonRoundTrip(plan));
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(plan));
    }
  });

  it("decodes frozen, like the plans core builds (core caches per-plan facts of frozen plans)", () => {
    const decoded = decodeCompactPlan(encodeCompactPlan(richPlan())!);
    expect(Object.isFrozen(decoded)).toBe(true);
    const stack = [decoded.root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      expect(Object.isFrozen(node)).toBe(true);
      expect(Object.isFrozen(node.children)).toBe(true);
      stack.push(...node.children);
      if (node.compensate !== null) stack.push(node.compensate);
    }
  });

  it("is a fraction of the JSON of a wide plan", () => {
    const plan = leaves(1000);
    const compact = encodeCompactPlan(plan)!;
    expect(compact.length).toBeLessThan(JSON.stringify(plan).length / 8);
  });

  it("keeps a path or depth that is not the tree's own (a grafted node)", () => {
    const plan = leaves(2);
    const child = plan.root.children[0]!;
    const odd = { ...plan, root: { ...plan.root, children: [{ ...child, path: "elsewhere/t0", depth: 7 }] } };
    const decoded = decodeCompactPlan(encodeCompactPlan(odd as Plan)!);
    expect(decoded.root.children[0]).toMatchObject({ path: "elsewhere/t0", depth: 7 });
    expect(decoded).toStrictEqual(jsonRoundTrip(odd as Plan));
  });

  it("declines a plan that is not in core's shape, so the writer stores its JSON", () => {
    const plan = leaves(2);
    const node = plan.root.children[0]!;
    const variants: unknown[] = [
      { ...plan, extra: 1 },
      { root: plan.root, taskId: plan.taskId, nodeCount: 3, leafCount: 2, depth: 1, source: "spec" },
      { ...plan, root: { ...plan.root, children: [{ ...node, more: true }] } },
      { ...plan, root: { ...plan.root, children: [{ ...node, input: undefined }] } },
      { ...plan, toJSON: () => ({}) },
    ];
    for (const variant of variants) expect(encodeCompactPlan(variant as Plan)).toBeNull();
  });

  it("reads a row of either encoding, and refuses a damaged one", () => {
    const plan = richPlan();
    const json = gzipSync(JSON.stringify(plan));
    const compact = gzipSync(encodeCompactPlan(plan)!);
    expect(decodeStoredPlan(json, PlanEncoding.JSON)).toStrictEqual(jsonRoundTrip(plan));
    expect(decodeStoredPlan(compact, PlanEncoding.COMPACT)).toStrictEqual(jsonRoundTrip(plan));
    expect(() => decodeStoredPlan(compact, 9)).toThrow(/unknown plan encoding 9/);
    expect(() => decodeStoredPlan(Buffer.from("nope"), PlanEncoding.JSON)).toThrow(/not gzipped/);
    expect(() => decodeStoredPlan(gzipSync('["x"]'), PlanEncoding.COMPACT)).toThrow(/not \[taskId/);
    expect(() => decodeStoredPlan(gzipSync('["t",1,1,0,"s",[1]]'), PlanEncoding.COMPACT)).toThrow(
      /not \[id, description/,
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EchelonError } from "../src/errors/index.js";
import type { Plan, PlanNode } from "../src/model/task.js";
import { specToPlan, validatePlan, walkPlan } from "../src/plan/index.js";

const CODES = new Set([
  "ECHELON_SPEC_INVALID",
  "ECHELON_SPEC_DEPENDENCY_CYCLE",
  "ECHELON_SPEC_TOO_DEEP",
  "ECHELON_PATTERN_UNKNOWN",
]);
const MAX_DEPTH = 3;
const PATTERNS = ["fork-join", "mapreduce"];

function checkInvariants(plan: Plan): void {
  const paths = new Set<string>();
  let nodes = 0;
  let leaves = 0;
  let deepest = 0;
  walkPlan(plan.root, (node: PlanNode) => {
    nodes += 1;
    if (node.children.length === 0) leaves += 1;
    deepest = Math.max(deepest, node.depth);
    expect(node.depth).toBeLessThanOrEqual(MAX_DEPTH);
    expect(paths.has(node.path)).toBe(false);
    paths.add(node.path);
    const ids = node.children.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const child of node.children) {
      expect(child.path).toBe(`${node.path}/${child.id}`);
      expect(child.depth).toBe(node.depth + 1);
      for (const dep of child.dependsOn) expect(ids).toContain(dep);
    }
    expect(node.pattern === null).toBe(node.children.length === 0);
    expect(Object.isFrozen(node)).toBe(true);
  });
  expect(plan).toMatchObject({ nodeCount: nodes, leafCount: leaves, depth: deepest });
  // A built plan survives JSON and validates to an equal plan.
  expect(validatePlan(JSON.parse(JSON.stringify(plan)), { maxDepth: MAX_DEPTH, patterns: PATTERNS })).toEqual(
    plan,
  );
}

/** Runs specToPlan and checks the outcome; returns `"plan"` or the error code. */
function runSpec(input: unknown): string {
  let plan: Plan;
  try {
    plan = specToPlan(input, { maxDepth: MAX_DEPTH, patterns: PATTERNS });
  } catch (error) {
    expect(error).toBeInstanceOf(EchelonError);
    expect(CODES.has((error as EchelonError).code)).toBe(true);
    return (error as EchelonError).code;
  }
  checkInvariants(plan);
  return "plan";
}

/** Mostly `good`, about one time in sixteen `wrong`. */
function mostly<T>(good: fc.Arbitrary<T>, wrong: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 15, arbitrary: good }, { weight: 1, arbitrary: wrong });
}

const ids = fc.constantFrom("a", "b", "c", "1", "2");
const common = {
  id: mostly(fc.option(ids, { nil: undefined }), fc.constantFrom("x/y", "", 7)),
  description: mostly(fc.constant("task"), fc.constantFrom("", 3, null)),
  dependsOn: fc.option(fc.array(ids, { maxLength: 2 }), { nil: undefined }),
  priority: mostly(fc.integer(), fc.constantFrom(Number.NaN, "high")),
  timeoutMs: mostly(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0, -1, Number.POSITIVE_INFINITY)),
  input: mostly(fc.jsonValue({ maxDepth: 2 }), fc.constant({ ["__proto__"]: 1 })),
};
/** Spec-shaped trees up to one level deeper than allowed, with occasional mistakes. */
const specTree = fc.letrec<{ node: unknown; leaf: unknown; composite: unknown }>((tie) => ({
  node: fc.oneof({ maxDepth: MAX_DEPTH + 1, depthSize: "small" }, tie("leaf"), tie("composite")),
  leaf: fc.record(common, { requiredKeys: ["description"] }),
  composite: fc.record(
    {
      ...common,
      pattern: fc.option(mostly(fc.constantFrom(...PATTERNS), fc.constant("nope")), { nil: undefined }),
      children: fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: ["description", "children"] },
  ),
}));

describe("specToPlan on arbitrary input", () => {
  it("either returns a plan with the invariants or throws a coded EchelonError (any JSON)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        runSpec(value);
      }),
      { numRuns: 300 },
    );
  });

  it("does the same for spec-shaped trees with random mistakes, reaching plans and refusals", () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(specTree.node, (spec) => {
        const outcome = runSpec(spec);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: 500 },
    );
    // The invariants were really exercised, and so were the common refusals (cycles and
    // unknown patterns are rarer here; their own tests cover them).
    for (const outcome of ["plan", "ECHELON_SPEC_INVALID", "ECHELON_SPEC_TOO_DEEP"]) {
      expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(0);
    }
  });

  it("validatePlan never throws anything but a coded EchelonError on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          validatePlan(value, { maxDepth: MAX_DEPTH });
        } catch (error) {
          expect(error).toBeInstanceOf(EchelonError);
          expect(CODES.has((error as EchelonError).code)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from "vitest";
import type { PlanNode } from "../src/model/task.js";
import { complexityForHeight, formatSpecIssues, specToPlan, walkPlan } from "../src/plan/index.js";
import { catchCoded } from "./plan-helpers.js";

describe("complexityForHeight", () => {
  it("maps heights 0–3 to their complexity and 4 or more to enterprise", () => {
    expect([0, 1, 2, 3, 4, 9].map(complexityForHeight)).toEqual([
      "atomic",
      "simple",
      "moderate",
      "complex",
      "enterprise",
      "enterprise",
    ]);
  });

  it("refuses a negative, fractional or non-finite height", () => {
    for (const height of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      catchCoded(() => complexityForHeight(height), "ECHELON_CONFIG_INVALID");
    }
  });
});

describe("walkPlan", () => {
  it("visits nodes in pre-order, children in order, without compensations", () => {
    const plan = specToPlan(
      {
        id: "r",
        description: "r",
        children: [
          {
            id: "a",
            description: "a",
            children: [{ id: "a1", description: "a1" }],
            compensate: { description: "undo" },
          },
          { id: "b", description: "b" },
        ],
      },
      { maxDepth: 2 },
    );
    const seen: string[] = [];
    walkPlan(plan.root, (node) => seen.push(node.path));
    expect(seen).toEqual(["r", "r/a", "r/a/a1", "r/b"]);
  });

  it("walks a tree far deeper than the call stack allows", () => {
    let node: PlanNode = { id: "leaf", children: [] } as unknown as PlanNode;
    for (let i = 0; i < 200_000; i++) node = { id: `n${i}`, children: [node] } as unknown as PlanNode;
    let count = 0;
    walkPlan(node, () => {
      count += 1;
    });
    expect(count).toBe(200_001);
  });
});

describe("formatSpecIssues", () => {
  it("formats path: message lines and shows the root as (root)", () => {
    expect(
      formatSpecIssues([
        { path: "", message: 'unknown key "x"' },
        { path: "children[2].dependsOn[0]", message: 'unknown task "b"' },
      ]),
    ).toBe('(root): unknown key "x"\nchildren[2].dependsOn[0]: unknown task "b"');
    expect(formatSpecIssues([])).toBe("");
  });

  it("lists at most five issues and says how many more there are", () => {
    const issues = Array.from({ length: 7 }, (_, i) => ({ path: `children[${i}]`, message: "bad" }));
    const lines = formatSpecIssues(issues).split("\n");
    expect(lines).toHaveLength(6);
    expect(lines[4]).toBe("children[4]: bad");
    expect(lines[5]).toBe("…and 2 more issues (see details.issues)");
    expect(formatSpecIssues(issues.slice(0, 6)).split("\n")[5]).toBe(
      "…and 1 more issue (see details.issues)",
    );
  });
});

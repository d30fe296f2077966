import { describe, expect, it } from "vitest";
import { specToPlan, validatePlan } from "../src/plugin.js";

const spec = {
  id: "r",
  description: "root",
  pattern: "fork-join",
  children: [
    { id: "a", description: "a", pattern: "mapreduce", children: [{ id: "a1", description: "a1" }] },
    { id: "b", description: "b" },
  ],
};

describe("validatePlan on a plan core built", () => {
  it("returns the same frozen plan without reading it again when it fits the caller's limits", () => {
    const plan = specToPlan(spec, { maxDepth: 3 });
    expect(validatePlan(plan, { maxDepth: 2, patterns: ["fork-join", "mapreduce"] })).toBe(plan);
  });

  it("still checks depth and patterns against the caller's options", () => {
    const plan = specToPlan(spec, { maxDepth: 3 });
    expect(() => validatePlan(plan, { maxDepth: 1 })).toThrow(
      expect.objectContaining({ code: "ECHELON_SPEC_TOO_DEEP" }),
    );
    expect(() => validatePlan(plan, { maxDepth: 2, patterns: ["fork-join"] })).toThrow(
      expect.objectContaining({
        code: "ECHELON_PATTERN_UNKNOWN",
        message: expect.stringContaining('root.children[0].pattern: unknown pattern "mapreduce"'),
      }),
    );
  });

  it("a copy of a built plan (e.g. from JSON) is read and checked in full", () => {
    const plan = specToPlan(spec, { maxDepth: 3 });
    const copy = JSON.parse(JSON.stringify(plan));
    const checked = validatePlan(copy, { maxDepth: 2 });
    expect(checked).not.toBe(copy);
    expect(checked).toEqual(plan);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SpecIssue } from "../src/plan/issues.js";
import { checkJsonValue, cloneJsonValue, readJsonField } from "../src/plan/json-value.js";

/** The full walk alone: what readJsonField's fast paths must agree with. */
function fullWalk(value: unknown): { value: unknown; issues: SpecIssue[] } {
  const issues: SpecIssue[] = [];
  if (value === undefined) return { value: undefined, issues };
  return { value: checkJsonValue(value, "input", issues) ? cloneJsonValue(value) : undefined, issues };
}

function isDeepFrozen(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(isDeepFrozen);
}

const leaf = fc.oneof(
  fc.constantFrom(0, -0, 1.5, Number.NaN, Infinity, "", "x", true, null, undefined),
  fc.integer(),
  fc.string({ maxLength: 5 }),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof({ depthSize: "small" }, leaf, tie("array"), tie("object")),
  array: fc.array(tie("tree"), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__", "constructor", "d e"), tie("tree"), {
    maxKeys: 4,
  }),
}));

describe("readJsonField, with its fast paths", () => {
  it("gives the full walk's copy and issues for any value", () => {
    fc.assert(
      fc.property(tree, (value) => {
        const issues: SpecIssue[] = [];
        const read = readJsonField(value, "", "input", issues, { object: false });
        const expected = fullWalk(value);
        expect(read).toStrictEqual(expected.value);
        expect(issues).toStrictEqual(expected.issues);
        expect(isDeepFrozen(read)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("copies shared references, cycles and Dates as the full walk does", () => {
    const shared = { k: 1 };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const wide = Array.from({ length: 100 }, (_, i) => ({ i }));
    for (const value of [{ x: shared, y: shared }, cyclic, { when: new Date(0) }, [[1], { a: [2] }], wide]) {
      const issues: SpecIssue[] = [];
      expect(readJsonField(value, "", "input", issues, { object: false })).toStrictEqual(
        fullWalk(value).value,
      );
      expect(issues).toStrictEqual(fullWalk(value).issues);
    }
    const copy = readJsonField({ x: shared, y: shared }, "", "input", [], { object: false }) as Record<
      string,
      unknown
    >;
    expect(copy.x).toBe(copy.y);
  });
});

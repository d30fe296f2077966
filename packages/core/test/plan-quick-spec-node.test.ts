import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { QUICK_KEYS, quickSpecNode } from "../src/plan/quick-spec-node.js";
import { schemas } from "../src/plan/schema.js";

const specNodeSchema = schemas().specNode;

/** Values that are sometimes right and often wrong for a spec node's fields. */
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom("", " ", "\t", "a", "task 1", "x:compensate", "a/b", "a#b", "ok.id-1_:x"),
  fc.string({ maxLength: 140 }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 2_147_483_647, 2_147_483_648, Number.NaN, Infinity, -Infinity),
  fc.double(),
  fc.boolean(),
  fc.constantFrom([], ["a"], ["a", ""], ["a", 1], [["a"]], ["fetch", "parse"]),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.constantFrom({}, { a: 1 }, { attempts: 2 }, { each: { description: "x" } }),
);

/** Every key the fast path reads, the keys it leaves to the schema, and keys no node takes. */
const KEYS = [...QUICK_KEYS, "retry", "expand", "name", "constructor"];

/** A node with a random subset of keys, each with a random value; usually with a description. */
const node = fc
  .record({
    description: fc.oneof(fc.constantFrom("do it", "  step  "), anyValue),
    fields: fc.dictionary(fc.constantFrom(...KEYS), anyValue, { maxKeys: 6 }),
    withDescription: fc.boolean(),
  })
  .map(({ description, fields, withDescription }) => {
    const value: Record<string, unknown> = { ...fields };
    if (withDescription) value.description = description;
    return value;
  });

describe("quickSpecNode, the fast path of the spec node schema", () => {
  it("accepts only what the schema accepts, and returns what the schema returns", () => {
    fc.assert(
      fc.property(node, (value) => {
        const quick = quickSpecNode(value);
        if (quick === null) return;
        const parsed = specNodeSchema.safeParse(value);
        expect(parsed.success).toBe(true);
        expect(quick).toStrictEqual(parsed.data);
      }),
      { numRuns: 5000 },
    );
  });

  it("takes the common node itself (the fast path is used, not always skipped)", () => {
    const value = {
      id: "t1",
      description: "leaf 1",
      input: 1,
      capabilities: ["fetch"],
      priority: 2,
      dependsOn: ["t0"],
      timeoutMs: 500,
      metadata: { a: 1 },
    };
    expect(quickSpecNode(value)).toStrictEqual(specNodeSchema.parse(value));
  });

  it("copies arrays, so freezing the plan never freezes the caller's spec", () => {
    const capabilities = ["fetch"];
    const quick = quickSpecNode({ description: "x", capabilities });
    expect(quick?.capabilities).toEqual(capabilities);
    expect(quick?.capabilities).not.toBe(capabilities);
  });

  it("leaves every doubtful node to the schema", () => {
    for (const value of [
      { description: "x", retry: { attempts: 2 } },
      { description: "x", expand: { using: "decompose" } },
      { description: "x", extra: 1 },
      { description: " " },
      { id: "a/b", description: "x" },
      { id: "a:compensate", description: "x" },
      { description: "x", priority: Infinity },
      { description: "x", timeoutMs: 0 },
      { description: "x", capabilities: [""] },
      { input: 1 },
    ]) {
      expect(quickSpecNode(value)).toBeNull();
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REMEMBER_FROM_BYTES, estimateJsonBytes } from "../src/util/estimate-bytes.js";
import { assertJsonOutput, assertJsonSerializable } from "../src/util/json.js";

/** The estimate of a structurally equal copy that was never checked (nothing remembered). */
function freshEstimate(value: unknown): number {
  return estimateJsonBytes(structuredClone(value));
}

describe("assertJsonOutput: the check and the size estimate in one walk", () => {
  it("remembers exactly what estimateJsonBytes computes (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.date({ noInvalidDate: true }), (json, date) => {
        const value = { json, date, list: [json, "text", 1.5, 2 ** 40, -3] };
        const expected = freshEstimate(value);
        assertJsonOutput(value, "output");
        expect(estimateJsonBytes(value)).toBe(expected);
        // A remembered value nested in another is counted the same as walking it.
        const outer = { inner: value, more: [value] };
        expect(estimateJsonBytes(outer)).toBe(freshEstimate(outer));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses what assertJsonSerializable refuses, with the same error", () => {
    const bad = { a: [1, { b: Number.NaN }] };
    expect(() => assertJsonOutput(bad, 'output of task "x"')).toThrowError(
      /\$\.a\[1\]\.b is a non-finite number/,
    );
    expect(() => assertJsonSerializable(bad, "output")).toThrowError(/\$\.a\[1\]\.b/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => assertJsonOutput(cyclic, "output")).toThrowError(/cycle/);
  });

  it("remembers only large outputs: a small one is walked again by every estimate", () => {
    const small: Record<string, number> = { a: 1.5 };
    assertJsonOutput(small, "output");
    small.b = 2.5;
    expect(estimateJsonBytes(small)).toBe(freshEstimate(small));

    const large: Record<string, string> = {};
    for (let i = 0; estimateJsonBytes(large) < REMEMBER_FROM_BYTES; i++) large[`k${i}`] = "x".repeat(20);
    const before = estimateJsonBytes(large);
    assertJsonOutput(large, "output");
    // Outputs are read-only once checked; the remembered figure is what the estimate returns.
    large.extra = "y".repeat(1000);
    expect(estimateJsonBytes(large)).toBe(before);
    expect(freshEstimate(large)).toBeGreaterThan(before);
  });

  it("leaves the public check without memory: assertJsonSerializable remembers nothing", () => {
    const large: Record<string, string> = {};
    for (let i = 0; i < 100; i++) large[`k${i}`] = "x".repeat(20);
    assertJsonSerializable(large, "output");
    large.extra = "y".repeat(1000);
    expect(estimateJsonBytes(large)).toBe(freshEstimate(large));
  });
});

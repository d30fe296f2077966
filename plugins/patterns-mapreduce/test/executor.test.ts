import { OrchestrationPattern, PatternExecutor } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { mapReducePattern } from "../src/index.js";

describe("mapreduce through PatternExecutor (seed API)", () => {
  it("registers a custom reducer through executor.patterns and runs it on slices", async () => {
    const executor = new PatternExecutor({ plugins: [mapReducePattern()] });
    executor.patterns[OrchestrationPattern.MAPREDUCE]?.registerCustomReducer(
      "longest",
      (a, b) => (String(b).length > String(a).length ? b : a),
      { associative: true },
    );
    const slices = ["a", "abcd", "ab"].map((content, i) => ({ sliceId: `w${i}`, content }));
    const r = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [async (w) => w.input], {
      patternOptions: { reducer: "longest" },
    });
    expect(r).toMatchObject({ success: true, result: "abcd" });
    expect(executor.recommendPattern(slices, [async (w) => w.input, async (w) => w.input])).toBe("mapreduce");
    expect(executor.getPatternPerformance().mapreduce?.executions).toBe(1);
  });
});

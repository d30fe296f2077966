import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { mapReducePattern } from "../src/index.js";

let orchestrator: HierarchicalOrchestrator | undefined;
afterEach(async () => {
  await orchestrator?.shutdown();
});

describe("mapreduce inside an orchestration", () => {
  it("maps a node's children over pooled agents and reduces them", async () => {
    const wordCount = functionAgent({ capacity: 2 }, async (work) => {
      const counts: Record<string, number> = {};
      for (const w of String(work.input).split(" ")) counts[w] = (counts[w] ?? 0) + 1;
      return counts;
    });
    orchestrator = new HierarchicalOrchestrator({ agents: [wordCount], plugins: [mapReducePattern()] });
    const texts = ["to be or", "not to be", "that is"];
    const result = await orchestrator.orchestrateComplexTask({
      description: "count words",
      pattern: "mapreduce",
      patternOptions: { reducer: "merge-counts" },
      children: texts.map((input, i) => ({ id: `t${i}`, description: `text ${i}`, input })),
    });
    expect(result.error).toBeNull();
    expect(result.success).toBe(true);
    expect(result.result).toEqual({ to: 2, be: 2, or: 1, not: 1, that: 1, is: 1 });
  });

  it("an unknown reducer fails the orchestration with the coded error", async () => {
    orchestrator = new HierarchicalOrchestrator({
      agents: [functionAgent({}, async (w) => w.input)],
      plugins: [mapReducePattern()],
    });
    const result = await orchestrator.orchestrateComplexTask({
      description: "bad",
      pattern: "mapreduce",
      patternOptions: { reducer: "nope" },
      children: [{ id: "a", description: "a", input: 1 }],
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error)).toContain("ECHELON_MAPREDUCE_REDUCER_UNKNOWN");
  });
});

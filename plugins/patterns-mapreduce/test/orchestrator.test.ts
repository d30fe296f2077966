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

  it("an unknown reducer anywhere in the plan is refused with its code before any leaf runs", async () => {
    const ran: unknown[] = [];
    orchestrator = new HierarchicalOrchestrator({
      agents: [functionAgent({}, async (w) => ran.push(w.input))],
      plugins: [mapReducePattern()],
    });
    const spec = {
      id: "root",
      description: "two stages",
      pattern: "mapreduce",
      children: [
        { id: "first", description: "runs first", input: 1 },
        {
          id: "deep",
          description: "deep",
          pattern: "mapreduce",
          patternOptions: { reducer: "nope" },
          children: [{ id: "a", description: "a", input: 2 }],
        },
      ],
    };
    const error = await orchestrator.orchestrateComplexTask(spec).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "ECHELON_MAPREDUCE_REDUCER_UNKNOWN",
      details: expect.objectContaining({ nodePath: "root/deep" }),
    });
    expect((error as Error).message).toContain('"root/deep"');
    expect(ran).toEqual([]);
  });
});

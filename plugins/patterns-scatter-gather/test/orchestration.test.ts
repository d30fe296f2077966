import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { scatterGatherPattern } from "../src/index.js";

describe("scatter-gather inside an orchestration", () => {
  let orchestrator: HierarchicalOrchestrator | undefined;
  afterEach(async () => {
    await orchestrator?.shutdown();
  });

  it("broadcasts one child to replicas, each a separate invocation, and votes", async () => {
    const paths: string[] = [];
    orchestrator = new HierarchicalOrchestrator({
      plugins: [scatterGatherPattern()],
      agents: [
        functionAgent({ capacity: 8 }, (work) => {
          paths.push(work.nodePath);
          const words = String(work.input).split(/\s+/).filter(Boolean);
          return { words: words.length };
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask({
      id: "count",
      description: "count words three times",
      pattern: "scatter-gather",
      patternOptions: { gather: "majority", replicas: 3 },
      children: [{ id: "words", description: "count words", input: "the quick brown fox" }],
    });
    expect(result.error).toBeNull();
    expect((result.result as { value: unknown }).value).toEqual({ words: 4 });
    expect(new Set(paths).size).toBe(3);
    expect(paths.every((p) => /#replica-\d$/.test(p))).toBe(true);
  });
});

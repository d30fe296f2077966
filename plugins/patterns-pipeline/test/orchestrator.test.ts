import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { pipelinePattern } from "../src/index.js";

let orchestrator: HierarchicalOrchestrator | undefined;
afterEach(async () => {
  await orchestrator?.shutdown();
});

const stageAgent = functionAgent({ capacity: 4 }, async (work) => {
  if (work.taskId === "upper") return String(work.input).toUpperCase();
  if (work.taskId === "exclaim") return `${String(work.input)}!`;
  throw new Error(`unexpected stage ${work.taskId}`);
});

describe("pipeline inside an orchestration", () => {
  it("chains a node's children, with a processor stage in between", async () => {
    orchestrator = new HierarchicalOrchestrator({
      agents: [stageAgent],
      plugins: [pipelinePattern({ processors: { reverse: (s) => [...String(s)].reverse().join("") } })],
    });
    const result = await orchestrator.orchestrateComplexTask({
      description: "shout",
      pattern: "pipeline",
      input: "abc",
      children: [
        { id: "upper", description: "upper-case" },
        { id: "flip", description: "reverse", metadata: { processor: "reverse" } },
        { id: "exclaim", description: "exclaim" },
      ],
    });
    expect(result.error).toBeNull();
    expect(result.result).toBe("CBA!");
  });

  it("streams a list through the stages as item invocations, keeping order", async () => {
    orchestrator = new HierarchicalOrchestrator({ agents: [stageAgent], plugins: [pipelinePattern()] });
    const result = await orchestrator.orchestrateComplexTask({
      description: "shout each",
      pattern: "pipeline",
      patternOptions: { streaming: true, bufferSize: 1 },
      input: ["a", "b", "c", "d"],
      children: [
        { id: "upper", description: "upper-case" },
        { id: "exclaim", description: "exclaim" },
      ],
    });
    expect(result.error).toBeNull();
    expect(result.result).toEqual(["A!", "B!", "C!", "D!"]);
  });
});

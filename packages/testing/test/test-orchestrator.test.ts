import { describe, expect, it } from "vitest";
import { createTestOrchestrator, patternSpec, recordingAgent } from "../src/index.js";
import { parallelAll, pluginOf } from "./fixtures.js";

describe("createTestOrchestrator and patternSpec", () => {
  it("runs a pattern over slices turned into a spec and records the events", async () => {
    const agent = recordingAgent((w) => Number(w.input) + 1);
    const t = createTestOrchestrator({ plugins: [pluginOf(parallelAll)], agents: [agent] });
    try {
      const spec = patternSpec("parallel-all", [
        { sliceId: "a", content: 1 },
        { sliceId: "b", content: 2, dependencies: ["a"], metadata: { description: "second" } },
      ]);
      expect(spec.children?.[1]).toMatchObject({
        id: "b",
        description: "second",
        input: 2,
        dependsOn: ["a"],
      });
      const result = await t.orchestrator.orchestrateComplexTask(spec);
      expect(result.result).toEqual([2, 3]);
      expect(t.events.some((e) => e.type === "orchestration:completed")).toBe(true);
    } finally {
      await t.shutdown();
    }
  });
});

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import { testPatterns, timer } from "./support/test-patterns.js";

const digest = (s: string) => createHash("sha1").update(s).digest("hex").slice(0, 8);

describe("many orchestrations at once", () => {
  it("100 concurrent orchestrations each get their own correct result and status", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [8, 16],
      agents: [functionAgent({ capacity: 2 }, async (w) => digest(String(w.input)))],
      plugins: [testPatterns()],
    });
    const runs = Array.from({ length: 100 }, (_, i) =>
      o.orchestrateComplexTask(
        {
          description: `job ${i}`,
          pattern: "test-parallel",
          children: Array.from({ length: 5 }, (_, j) => ({ description: `part ${j}`, input: `${i}:${j}` })),
        },
        { orchestrationId: `job-${i}` },
      ),
    );
    const results = await Promise.all(runs);
    results.forEach((r, i) => {
      expect(r.orchestrationId).toBe(`job-${i}`);
      expect(r.result).toEqual(Array.from({ length: 5 }, (_, j) => digest(`${i}:${j}`)));
      const status = o.getOrchestrationStatus(`job-${i}`);
      expect(status).toMatchObject({ state: "completed", totalTasks: 6, completedTasks: 6, progress: 100 });
    });
    await o.shutdown();
  });

  it("cancelling one orchestration never touches another; duplicate ids are refused while running", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [
        functionAgent({ capacity: 10 }, async (w, ctx) => {
          await timer(Number(w.input), ctx.signal);
          return "done";
        }),
      ],
      plugins: [testPatterns()],
    });
    const spec = (ms: number) => ({
      description: "w",
      pattern: "test-parallel",
      children: [{ description: "x", input: ms }],
    });
    const a = o.orchestrateComplexTask(spec(5_000), { orchestrationId: "a" });
    const b = o.orchestrateComplexTask(spec(40), { orchestrationId: "b" });
    await expect(o.orchestrateComplexTask(spec(1), { orchestrationId: "a" })).rejects.toMatchObject({
      code: "ECHELON_ORCHESTRATION_DUPLICATE",
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(o.cancelOrchestration("a")).toBe(true);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.state).toBe("cancelled");
    expect(rb).toMatchObject({ state: "completed", result: ["done"] });
    expect(o.listOrchestrations()).toEqual(["a", "b"]);
    await o.shutdown();
  });

  it("independent branches never wait on each other (no global barrier)", async () => {
    const finished: string[] = [];
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      agents: [
        functionAgent({ capacity: 10 }, async (w, ctx) => {
          await timer(Number(w.input), ctx.signal);
          finished.push(w.taskId);
          return w.taskId;
        }),
      ],
      plugins: [testPatterns()],
    });
    // Branch "fast" is a 3-step sequence of 5 ms steps; branch "slow" is one 150 ms step.
    const r = await o.orchestrateComplexTask({
      description: "two branches",
      pattern: "test-parallel",
      children: [
        {
          id: "fast",
          description: "fast chain",
          pattern: "test-sequence",
          children: [
            { id: "f1", description: "1", input: 5 },
            { id: "f2", description: "2", input: 5 },
            { id: "f3", description: "3", input: 5 },
          ],
        },
        {
          id: "slow",
          description: "slow",
          pattern: "test-parallel",
          children: [{ id: "s1", description: "s", input: 150 }],
        },
      ],
    });
    expect(r.success).toBe(true);
    // With a barrier per step, f2 and f3 would wait for s1.
    expect(finished).toEqual(["f1", "f2", "f3", "s1"]);
    await o.shutdown();
  });
});

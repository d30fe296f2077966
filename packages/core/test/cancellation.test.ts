import { describe, expect, it } from "vitest";
import { EchelonError, functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import { leaves, testPatterns, timer } from "./support/test-patterns.js";

describe("cancellation", () => {
  it("cancel mid-run: every running agent sees the abort, status cancelled, no new task starts", async () => {
    const started: string[] = [];
    const aborted: string[] = [];
    let allFourRunning!: () => void;
    const fourRunning = new Promise<void>((resolve) => {
      allFourRunning = resolve;
    });
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 4],
      agents: [
        functionAgent({}, async (work, ctx) => {
          started.push(work.taskId);
          if (started.length === 4) allFourRunning();
          try {
            await timer(5_000, ctx.signal);
          } catch (e) {
            aborted.push(work.taskId);
            throw e;
          }
        }),
      ],
      plugins: [testPatterns()],
    });
    const running = o.orchestrateComplexTask(
      { description: "long", pattern: "test-parallel", children: leaves(20) },
      { orchestrationId: "c1" },
    );
    await fourRunning;
    expect(o.cancelOrchestration("c1")).toBe(true);
    const r = await running;
    expect(r.state).toBe("cancelled");
    expect(r.error?.code).toBe("ECHELON_CANCELLED");
    expect(aborted.sort()).toEqual([...started].sort());
    expect(started).toHaveLength(4);
    const status = o.getOrchestrationStatus("c1");
    expect(status.state).toBe("cancelled");
    expect(status.runningTasks).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toHaveLength(4);
    expect(o.cancelOrchestration("c1")).toBe(false);
    expect(o.cancelOrchestration("nope")).toBe(false);
    await o.shutdown();
  });

  it("an AbortSignal passed by the caller cancels only its orchestration", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [
        functionAgent({ capacity: 8 }, async (w, ctx) => {
          await timer(Number(w.input), ctx.signal);
          return w.input;
        }),
      ],
      plugins: [testPatterns()],
    });
    const controller = new AbortController();
    const spec = (ms: number) => ({
      description: "t",
      pattern: "test-parallel",
      children: [{ description: "wait", input: ms }],
    });
    const victim = o.orchestrateComplexTask(spec(5_000), { signal: controller.signal });
    const bystander = o.orchestrateComplexTask(spec(30));
    setTimeout(() => controller.abort(), 10);
    const [v, b] = await Promise.all([victim, bystander]);
    expect(v.state).toBe("cancelled");
    expect(b).toMatchObject({ state: "completed", result: [30] });
    await o.shutdown();
  });

  it("pause stops dispatching new leaves; resume continues", async () => {
    const startedAt: string[] = [];
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 1],
      agents: [
        functionAgent({}, (w) => {
          startedAt.push(w.taskId);
          return Number(w.input) ** 2;
        }),
      ],
      plugins: [testPatterns()],
    });
    const pending = o.orchestrateComplexTask(
      { description: "squares", pattern: "test-sequence", children: leaves(3) },
      { orchestrationId: "p" },
    );
    await new Promise<void>((resolve) => o.events.on("task:completed", () => resolve()));
    expect(o.pauseOrchestration("p")).toBe(true);
    expect(o.getOrchestrationStatus("p").state).toBe("paused");
    await new Promise((r) => setTimeout(r, 20));
    const whilePaused = startedAt.length;
    expect(whilePaused).toBeLessThan(3);
    expect(o.resumeOrchestration("p")).toBe(true);
    const r = await pending;
    expect(r.success).toBe(true);
    expect(startedAt).toHaveLength(3);
    await o.shutdown();
  });
});

describe("work a pattern leaves behind", () => {
  it("is stopped when the orchestration finishes: stragglers and waiting tasks are aborted", async () => {
    const started: string[] = [];
    const aborted: string[] = [];
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 2],
      agents: [
        functionAgent({}, async (w, ctx) => {
          started.push(w.taskId);
          try {
            await timer(Number(w.input), ctx.signal);
          } catch (e) {
            aborted.push(w.taskId);
            throw e;
          }
          return w.taskId;
        }),
      ],
      plugins: [
        {
          name: "first-answer",
          version: "1.0.0",
          register: (ctx) =>
            ctx.registerPattern({
              name: "first-answer",
              ordering: "parallel",
              // Returns the first answer and deliberately leaves the others running or waiting.
              execute: async (children, pctx) => {
                const runs = children.map((c) => pctx.runChild(c));
                for (const r of runs) r.catch(() => {});
                return { result: await Promise.race(runs) };
              },
            }),
        },
      ],
    });
    const r = await o.orchestrateComplexTask({
      description: "race",
      pattern: "first-answer",
      children: [
        { id: "fast", description: "fast", input: 5 },
        { id: "slow", description: "slow", input: 5_000 },
        { id: "queued", description: "queued", input: 1 },
      ],
    });
    expect(r.result).toBe("fast");
    await new Promise((resolve) => setTimeout(resolve, 30));
    // Everything still running or waiting when the result came back was stopped, not left to finish.
    expect(aborted).toContain("slow");
    expect(started.filter((id) => id !== "fast").sort()).toEqual([...aborted].sort());
    expect(o.getOrchestrationStatus(r.orchestrationId).runningTasks).toBe(0);
    await o.shutdown();
  });
});

describe("an agent stopping its orchestration", () => {
  it("fails the run with the agent's coded reason, aborts running work, starts nothing new, keeps what completed", async () => {
    const started: string[] = [];
    const aborted: string[] = [];
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 2],
      agents: [
        functionAgent({}, async (w, ctx) => {
          started.push(w.taskId);
          if (w.taskId === "t3") {
            const spent = new EchelonError("ECHELON_TEST_BUDGET_SPENT", "The budget is spent.");
            ctx.stopOrchestration?.(spent);
            throw spent;
          }
          if (w.taskId === "t2") {
            try {
              await timer(5_000, ctx.signal);
            } catch (e) {
              aborted.push(w.taskId);
              throw e;
            }
          }
          return Number(w.input) * 10;
        }),
      ],
      plugins: [testPatterns()],
    });
    const r = await o.orchestrateComplexTask(
      { description: "stop", pattern: "test-parallel", children: leaves(8) },
      { orchestrationId: "stop" },
    );
    expect(r).toMatchObject({
      success: false,
      state: "failed",
      error: { code: "ECHELON_TEST_BUDGET_SPENT" },
    });
    expect(aborted).toEqual(["t2"]);
    expect(started).toEqual(["t0", "t1", "t2", "t3"]);
    const status = o.getOrchestrationStatus("stop");
    expect(status.nodes["root/t0"]!.state).toBe("completed");
    expect(status.nodes["root/t1"]!.state).toBe("completed");
    expect(status.runningTasks).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(started).toHaveLength(4);
    await o.shutdown();
  });
});

import { describe, expect, it } from "vitest";
import { functionAgent, HierarchicalOrchestrator, PatternExecutor } from "../src/index.js";
import { definePlugin } from "../src/plugin.js";
import { leaves, testParallel, testPatterns, timer } from "./support/test-patterns.js";

describe("what a cancel leaves behind", () => {
  it("tasks still waiting when the run is cancelled end cancelled, not skipped; counts sum to the total", async () => {
    let started = 0;
    let allRunning!: () => void;
    const running = new Promise<void>((r) => {
      allRunning = r;
    });
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 2],
      agents: [
        functionAgent({}, async (_w, ctx) => {
          if (++started === 2) allRunning();
          await timer(60_000, ctx.signal);
        }),
      ],
      plugins: [testPatterns()],
    });
    const pending = o.orchestrateComplexTask(
      { description: "ten", pattern: "test-parallel", children: leaves(10) },
      { orchestrationId: "c" },
    );
    await running;
    const mid = o.getOrchestrationStatus("c");
    expect(mid).toMatchObject({ totalTasks: 11, runningTasks: 3, pendingTasks: 8 });
    o.cancelOrchestration("c");
    const result = await pending;
    expect(result.state).toBe("cancelled");
    const end = o.getOrchestrationStatus("c");
    expect(end).toMatchObject({ cancelledTasks: 11, skippedTasks: 0, pendingTasks: 0, runningTasks: 0 });
    expect(result.metadata).toMatchObject({ cancelledTasks: 11, skippedTasks: 0 });
    // The bar stops where the work stopped: nothing completed, so 0 %, not 100 %.
    expect(end.progress).toBe(0);
    await o.shutdown();
  });

  it("a child a pattern leaves out because its node is being cancelled is recorded cancelled", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({}, (w) => w.input)],
      plugins: [
        definePlugin({
          name: "skipper",
          version: "1.0.0",
          register: (ctx) =>
            ctx.registerPattern({
              name: "skip-after-cancel",
              ordering: "sequential",
              async execute(children, pctx) {
                await pctx.runChild(children[0]!);
                o.cancelOrchestration("s");
                for (const c of children.slice(1)) pctx.skipChild(c, "the run is being cancelled");
                return { result: null };
              },
            }),
        }),
      ],
    });
    await o.orchestrateComplexTask(
      { description: "x", pattern: "skip-after-cancel", children: leaves(3) },
      { orchestrationId: "s" },
    );
    const status = o.getOrchestrationStatus("s");
    expect(status.nodes["root/t1"]?.state).toBe("cancelled");
    expect(status.nodes["root/t0"]?.state).toBe("completed");
    expect(status.skippedTasks).toBe(0);
    await o.shutdown();
  });

  it("a failed run's progress stops where the work stopped; the steps after the failure are skipped", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [
        functionAgent({}, (w) => {
          if (w.taskId === "t1") throw new Error("step 2 breaks");
          return w.input;
        }),
      ],
      plugins: [testPatterns()],
    });
    const result = await o.orchestrateComplexTask(
      { description: "chain", pattern: "test-sequence", children: leaves(4) },
      { orchestrationId: "f" },
    );
    expect(result.state).toBe("failed");
    const status = o.getOrchestrationStatus("f");
    expect(status).toMatchObject({ completedTasks: 1, failedTasks: 2, skippedTasks: 2, totalTasks: 5 });
    expect(status.progress).toBeLessThan(100);
    await o.shutdown();
  });
});

describe("PatternExecutor with many respondents", () => {
  it("runs 40 children at once without a MaxListenersExceededWarning", async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    try {
      const executor = new PatternExecutor({
        plugins: [
          definePlugin({ name: "p", version: "1.0.0", register: (c) => c.registerPattern(testParallel) }),
        ],
      });
      const slices = Array.from({ length: 40 }, (_, i) => ({ sliceId: `s${i}`, content: i }));
      const wide = Array.from({ length: 40 }, () => ({
        id: "a",
        type: "t",
        capabilities: [],
        capacity: 1,
        execute: async (w: { input: unknown }, ctx: { signal: AbortSignal }) => {
          ctx.signal.addEventListener("abort", () => {});
          await new Promise<void>((r) => setImmediate(r));
          return w.input;
        },
      }));
      const r = await executor.executePattern("test-parallel", slices, wide);
      expect(r.success).toBe(true);
      await new Promise<void>((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning")).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  });
});

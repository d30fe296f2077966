import { describe, expect, it } from "vitest";
import {
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  replayOrchestration,
} from "../src/index.js";
import { definePlugin } from "../src/plugin.js";

/** A pattern that runs the first child and skips the rest, as a fork-join does after a failed dependency. */
const firstOnly = definePlugin({
  name: "first-only",
  version: "1.0.0",
  register: (ctx) =>
    ctx.registerPattern({
      name: "first-only",
      ordering: "sequential",
      async execute(children, pctx) {
        const [first, ...rest] = children;
        const out = await pctx.runChild(first!);
        for (const c of rest) pctx.skipChild(c, "only the first child runs");
        return { result: out };
      },
    }),
});

describe("status", () => {
  it("skipped children are terminal in the status, in the result counts and in replay", async () => {
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      agents: [functionAgent({}, (w) => String(w.input).toUpperCase())],
      plugins: [firstOnly],
      eventStore: store,
    });
    const pending = o.orchestrateComplexTask(
      {
        description: "first only",
        pattern: "first-only",
        children: ["a", "b", "c"].map((id) => ({ id, description: id, input: id })),
      },
      { orchestrationId: "s" },
    );
    const r = await pending;
    expect(r.result).toBe("A");
    expect(r.metadata).toMatchObject({ totalTasks: 4, completedTasks: 2, skippedTasks: 2 });
    const status = o.getOrchestrationStatus("s");
    expect(status.nodes["root/b"]!.state).toBe("skipped");
    expect(status.skippedTasks).toBe(2);
    expect(replayOrchestration(store.read("s")).status.nodes["root/c"]!.state).toBe("skipped");
    await o.shutdown();
  });

  it("progress and elapsed grow while running; progress is 100 once finished", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const o = new HierarchicalOrchestrator({
      agents: [
        functionAgent({}, async (w) => {
          if (w.input === "wait") await gate;
          return w.input;
        }),
      ],
      plugins: [firstOnly],
    });
    const pending = o.orchestrateComplexTask(
      {
        description: "gated",
        pattern: "first-only",
        children: [{ id: "g", description: "g", input: "wait" }],
      },
      { orchestrationId: "g" },
    );
    await new Promise((r) => setTimeout(r, 10));
    const mid = o.getOrchestrationStatus("g");
    expect(mid).toMatchObject({ state: "running", runningTasks: 2, completedTasks: 0, totalTasks: 2 });
    expect(mid.progress).toBe(0);
    expect(mid.elapsedMs).toBeGreaterThan(0);
    release();
    await pending;
    expect(o.getOrchestrationStatus("g")).toMatchObject({
      state: "completed",
      progress: 100,
      runningTasks: 0,
    });
    await o.shutdown();
  });
});

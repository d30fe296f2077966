import { failingAgent, recordingAgent, slowAgent } from "@echelon/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPipeline, stageAgent, stages, type Trace } from "./helpers.js";

const fns = {
  double: (x: unknown) => Number(x) * 2,
  inc: (x: unknown) => Number(x) + 1,
  str: (x: unknown) => `#${x}`,
};
const ids = ["double", "inc", "str"];

describe("pipeline, streaming mode", () => {
  it("streams each item through every stage and keeps input order", async () => {
    const { result } = await runPipeline(stages(ids), [stageAgent(fns)], {
      input: [1, 2, 3, 4],
      options: { streaming: true },
    });
    expect(result.result).toEqual(["#3", "#5", "#7", "#9"]);
    expect(result.details).toMatchObject({ mode: "streaming", stages: 3, items: 4 });
  });

  it("accepts an input { stream: true, items } and runs each item-stage as invocation item-<n>", async () => {
    const agent = recordingAgent((w) => Number(w.input) + 1);
    const { result } = await runPipeline(stages(["a", "b"]), [agent], {
      input: { stream: true, items: [10, 20] },
    });
    expect(result.result).toEqual([12, 22]);
    expect(agent.calls.map((c) => c.nodePath).sort()).toEqual([
      "slices/a#item-0",
      "slices/a#item-1",
      "slices/b#item-0",
      "slices/b#item-1",
    ]);
    expect(new Set(agent.calls.map((c) => c.idempotencyKey)).size).toBe(4);
  });

  it("item n+1 enters stage k while item n is in stage k+1", async () => {
    const trace: Trace = [];
    await runPipeline(stages(["a", "b"]), [stageAgent({ a: (x) => x, b: (x) => x }, trace, () => 3)], {
      input: [0, 1, 2],
      options: { streaming: true },
    });
    expect(trace.indexOf("start a#1")).toBeLessThan(trace.indexOf("end b#0"));
    expect(trace.indexOf("start b#0")).toBeLessThan(trace.indexOf("end a#1"));
  });

  it("bounded buffers hold a fast stage back (backpressure)", async () => {
    const trace: Trace = [];
    const bufferSize = 2;
    const { result } = await runPipeline(
      stages(["fast", "slow"]),
      [stageAgent({ fast: (x) => x, slow: (x) => x }, trace, (s) => (s === "slow" ? 8 : 0))],
      { input: Array.from({ length: 30 }, (_, i) => i), options: { streaming: true, bufferSize } },
    );
    expect(result.result).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(result.details.maxBuffered as number).toBeLessThanOrEqual(bufferSize);
    // When the slow stage starts item n, the fast stage has finished at most n + bufferSize + 2 items.
    trace.forEach((entry, at) => {
      const m = /^start slow#(\d+)$/.exec(entry);
      if (!m) return;
      const fastDone = trace.slice(0, at).filter((e) => e.startsWith("end fast#")).length;
      expect(fastDone).toBeLessThanOrEqual(Number(m[1]) + bufferSize + 2);
    });
  });

  it("streaming over a non-list input is ECHELON_PIPELINE_INPUT_INVALID", async () => {
    const { result } = await runPipeline(stages(["a"]), [recordingAgent()], {
      input: "x",
      options: { streaming: true },
    });
    expect(result.error?.code).toBe("ECHELON_PIPELINE_INPUT_INVALID");
  });

  it("a failing item fails the run and aborts the other stages", async () => {
    const slow = slowAgent(60_000, { id: "slow", capabilities: ["slow"] });
    const failing = failingAgent({ id: "failing", failWhen: (w) => w.input === 2 });
    const { result } = await runPipeline(
      [
        { sliceId: "a", content: null },
        { sliceId: "b", content: null, metadata: { capabilities: ["slow"] } },
      ],
      [failing, slow],
      { input: [1, 2, 3], options: { streaming: true } },
    );
    expect(result.error?.code).toBe("ECHELON_TESTING_INJECTED_FAILURE");
    expect(slow.calls.length).toBeGreaterThan(0);
    expect(slow.calls.every((c) => c.sawAbort)).toBe(true);
    expect(failing.calls.map((c) => c.input)).toEqual([1, 2]);
  });

  it("abort mid-stream stops every stage and starts no more items", async () => {
    const controller = new AbortController();
    const agent = slowAgent(60_000, { capacity: 4, onStart: () => queueMicrotask(() => controller.abort()) });
    const { result } = await runPipeline(stages(["a", "b"]), [agent], {
      input: [1, 2, 3, 4],
      options: { streaming: true },
      signal: controller.signal,
    });
    expect(result.status).toBe("cancelled");
    expect(agent.calls).toHaveLength(1);
    expect(agent.calls[0]?.sawAbort).toBe(true);
  });

  it("equals mapping the composed stages over the items for any buffer size and timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -100, max: 100 }), { maxLength: 25 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(4), { minLength: 3, maxLength: 3 }),
        async (items, bufferSize, turns) => {
          const agent = stageAgent(fns, [], (s) => turns[ids.indexOf(s)]!);
          const { result } = await runPipeline(stages(ids), [agent], {
            input: items,
            options: { streaming: true, bufferSize },
          });
          expect(result.result).toEqual(items.map((x) => `#${x * 2 + 1}`));
          expect(result.details.maxBuffered as number).toBeLessThanOrEqual(bufferSize);
        },
      ),
      { numRuns: 60 },
    );
  });
});

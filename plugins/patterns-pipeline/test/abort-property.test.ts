import type { Agent } from "@echelon/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPipeline, stages, yieldTurns } from "./helpers.js";

/** An agent doing `turns` steps of real asynchronous work per call, checking its signal between steps. */
function steppingAgent(
  turns: number,
  state: { running: number; startedAfterAbort: number },
  onStart: () => void,
): Agent {
  return {
    id: "stepper",
    type: "test",
    capabilities: [],
    capacity: 8,
    async execute(work, ctx) {
      if (ctx.signal.aborted) state.startedAfterAbort++;
      state.running++;
      onStart();
      try {
        for (let i = 0; i < turns; i++) {
          await yieldTurns(1);
          if (ctx.signal.aborted) throw new Error("stopped");
        }
        return work.input;
      } finally {
        state.running--;
      }
    },
  };
}

describe("streaming pipeline abort property", () => {
  it("abort at any moment leaves no running stage and starts none after it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(30),
        fc.nat(4),
        fc.integer({ min: 1, max: 3 }),
        async (items, stageCount, abortAt, turns, bufferSize) => {
          const controller = new AbortController();
          const state = { running: 0, startedAfterAbort: 0 };
          let starts = 0;
          const agent = steppingAgent(turns, state, () => {
            if (starts++ === abortAt) controller.abort();
          });
          const ids = Array.from({ length: stageCount }, (_, i) => `stage${i}`);
          const { result } = await runPipeline(stages(ids), [agent], {
            input: Array.from({ length: items }, (_, i) => i),
            options: { streaming: true, bufferSize },
            signal: controller.signal,
          });
          expect(result.status).toBe(controller.signal.aborted ? "cancelled" : "completed");
          await yieldTurns(8);
          expect(state.running).toBe(0);
          expect(state.startedAfterAbort).toBe(0);
        },
      ),
      { numRuns: 80 },
    );
  });
});

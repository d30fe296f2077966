import type { Agent } from "@echelon/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runMapReduce, yieldTurns } from "./helpers.js";

/** An agent doing `turns` steps of real asynchronous work, checking its signal between steps. */
function steppingAgent(
  turns: (input: number) => number,
  state: { running: number; startedAfterAbort: number },
  onStart: () => void,
): Agent {
  return {
    id: "stepper",
    type: "test",
    capabilities: [],
    capacity: 4,
    async execute(work, ctx) {
      if (ctx.signal.aborted) state.startedAfterAbort++;
      state.running++;
      onStart();
      try {
        for (let i = 0; i < turns(Number(work.input)); i++) {
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

describe("map-reduce abort property", () => {
  it("abort at any moment leaves no running work and starts none after it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.nat(40),
        fc.array(fc.nat(5), { minLength: 1, maxLength: 10 }),
        async (n, abortAt, turns) => {
          const controller = new AbortController();
          const state = { running: 0, startedAfterAbort: 0 };
          let starts = 0;
          const agent = steppingAgent(
            (x) => turns[x % turns.length]!,
            state,
            () => {
              if (++starts === Math.min(abortAt, n) + 1 || (abortAt === 0 && starts === 1))
                controller.abort();
            },
          );
          const r = await runMapReduce(
            Array.from({ length: n }, (_, i) => i),
            [agent],
            { reducer: "sum" },
            { signal: controller.signal },
          );
          expect(["completed", "cancelled"]).toContain(r.status);
          if (controller.signal.aborted) expect(r.status).toBe("cancelled");
          await yieldTurns(8);
          expect(state.running).toBe(0);
          expect(state.startedAfterAbort).toBe(0);
        },
      ),
      { numRuns: 80 },
    );
  });
});

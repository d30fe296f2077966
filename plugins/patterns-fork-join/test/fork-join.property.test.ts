import type { TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createForkJoinPattern } from "../src/index.js";
import { Recorder } from "@echelon/testing";

/** A random DAG: node i may depend on any node before it; the children are then shuffled. */
const dagArb = fc.integer({ min: 1, max: 9 }).chain((n) =>
  fc.record({
    deps: fc.tuple(
      ...Array.from({ length: n }, (_, i) => fc.subarray(Array.from({ length: i }, (_, j) => j))),
    ),
    rounds: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
    maxParallel: fc.integer({ min: 1, max: 4 }),
    capacity: fc.integer({ min: 1, max: 8 }),
  }),
);

function slicesOf(deps: readonly (readonly number[])[], order: readonly number[]): TaskSlice[] {
  return order.map((i) => ({ sliceId: `n${i}`, content: i, dependencies: deps[i]!.map((j) => `n${j}`) }));
}

describe("fork-join properties", () => {
  it("starts every node after all its dependencies completed and never exceeds maxParallel", async () => {
    await fc.assert(
      fc.asyncProperty(dagArb, async ({ deps, rounds, order, maxParallel, capacity }) => {
        const rec = new Recorder();
        // Capacity down to 1: nothing may be dropped or deadlock when slots are scarce.
        const agent = rec.agent((w) => ({ rounds: rounds[w.input as number]! }), { capacity });
        const run = await runPatternOnSlices(createForkJoinPattern(), slicesOf(deps, order), [agent], {
          options: { maxParallel },
        });
        expect(run.status).toBe("completed");
        expect(rec.maxRunning).toBeLessThanOrEqual(Math.min(maxParallel, capacity));
        deps.forEach((ds, i) => {
          const start = rec.startOf(`n${i}`)!;
          for (const j of ds) expect(start).toBeGreaterThan(rec.endOf(`n${j}`)!.seq);
        });
        expect(Object.keys(run.result as object).sort()).toEqual(deps.map((_, i) => `n${i}`).sort());
      }),
      { numRuns: 60 },
    );
  });

  it("leaves no running work when aborted at any moment", async () => {
    await fc.assert(
      fc.asyncProperty(
        dagArb,
        fc.integer({ min: 1, max: 25 }),
        async ({ deps, rounds, order, maxParallel }, abortAt) => {
          const rec = new Recorder();
          const controller = new AbortController();
          rec.onChunk = (n) => {
            if (n === abortAt) controller.abort();
          };
          const agent = rec.agent((w) => ({ rounds: 1 + rounds[w.input as number]! }), { capacity: 8 });
          const run = await runPatternOnSlices(createForkJoinPattern(), slicesOf(deps, order), [agent], {
            options: { maxParallel },
            signal: controller.signal,
          });
          rec.stop();
          expect(rec.running.size).toBe(0);
          await rec.drain();
          expect(rec.workAfterStop).toBe(0);
          expect(rec.startsAfterStop).toBe(0);
          expect(run.status).toBe(controller.signal.aborted ? "cancelled" : "completed");
        },
      ),
      { numRuns: 60 },
    );
  });
});

import type { TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSagaPattern, SagaErrorCode } from "../src/index.js";
import { Recorder } from "@echelon/testing";

/** Per step: compensated by an in-process handler or by a compensating task, and how long it works. */
const stepsArb = fc.array(
  fc.record({ via: fc.constantFrom("handler", "task"), rounds: fc.integer({ min: 1, max: 4 }) }),
  {
    minLength: 1,
    maxLength: 8,
  },
);

function build(steps: readonly { via: string }[]): TaskSlice[] {
  return steps.map((s, i) => ({
    sliceId: `s${i + 1}`,
    content: i + 1,
    ...(s.via === "task" ? { metadata: { compensate: `undo-s${i + 1}` } } : {}),
  }));
}

describe("saga properties", () => {
  it("for a failure at any step k, compensates exactly steps k-1 … 1, in that order", async () => {
    await fc.assert(
      fc.asyncProperty(
        stepsArb.chain((steps) => fc.tuple(fc.constant(steps), fc.integer({ min: 1, max: steps.length }))),
        async ([steps, k]) => {
          const undone: string[] = [];
          const saga = createSagaPattern();
          steps.forEach((s, i) => {
            if (s.via === "handler")
              saga.registerCompensationHandler(`s${i + 1}`, () => void undone.push(`s${i + 1}`));
          });
          const rec = new Recorder();
          const agent = rec.agent((w) => {
            if (w.taskId.endsWith(":compensate")) {
              undone.push(w.taskId.replace(":compensate", ""));
              return { rounds: 1 };
            }
            return {
              rounds: steps[Number(w.input) - 1]!.rounds,
              ...(w.taskId === `s${k}` ? { fail: "step failed" } : {}),
            };
          });
          const run = await runPatternOnSlices(saga, build(steps), [agent]);
          const expected = Array.from({ length: k - 1 }, (_, i) => `s${k - 1 - i}`);
          expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
          expect(undone).toEqual(expected);
          expect(run.error?.details).toMatchObject({
            failedStep: `s${k}`,
            compensated: expected,
            cancelled: false,
          });
          for (let i = k + 1; i <= steps.length; i++) expect(rec.startOf(`s${i}`)).toBeUndefined();
        },
      ),
      { numRuns: 80 },
    );
  });

  it("leaves no running work when aborted at any moment, and compensates exactly the completed steps", async () => {
    await fc.assert(
      fc.asyncProperty(stepsArb, fc.integer({ min: 1, max: 30 }), async (steps, abortAt) => {
        const saga = createSagaPattern();
        const undone: string[] = [];
        steps.forEach((s, i) => {
          if (s.via === "handler")
            saga.registerCompensationHandler(`s${i + 1}`, () => void undone.push(`s${i + 1}`));
        });
        const rec = new Recorder();
        const controller = new AbortController();
        rec.onChunk = (n) => {
          if (n === abortAt) controller.abort();
        };
        const agent = rec.agent((w) => {
          if (w.taskId.endsWith(":compensate")) {
            undone.push(w.taskId.replace(":compensate", ""));
            return { rounds: 2 };
          }
          return { rounds: steps[Number(w.input) - 1]!.rounds };
        });
        const run = await runPatternOnSlices(saga, build(steps), [agent], { signal: controller.signal });
        rec.stop();
        expect(rec.running.size).toBe(0);
        await rec.drain();
        expect(rec.workAfterStop + rec.startsAfterStop).toBe(0);
        const completedSteps = steps
          .map((_, i) => `s${i + 1}`)
          .filter((id) => rec.endOf(id)?.outcome === "completed");
        if (run.status === "completed") {
          expect(completedSteps).toHaveLength(steps.length);
          expect(undone).toEqual([]);
        } else {
          expect(run.status).toBe("cancelled");
          // Nothing completed → nothing to undo → a plain cancellation; otherwise COMPENSATED.
          expect(run.error?.code).toBe(
            completedSteps.length === 0 ? "ECHELON_CANCELLED" : SagaErrorCode.COMPENSATED,
          );
          expect(run.error?.cause?.code).toBe("ECHELON_CANCELLED");
          expect(run.error?.details).toMatchObject({ cancelled: true });
          expect(undone).toEqual([...completedSteps].reverse());
          const compensations = rec.marks.filter((m) => m.kind === "end" && m.key.endsWith(":compensate"));
          expect(compensations.every((m) => m.outcome === "completed")).toBe(true);
        }
      }),
      { numRuns: 80 },
    );
  });
});

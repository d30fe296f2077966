import { runPatternOnSlices } from "@echelon/core/plugin";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createScatterGatherPattern } from "../src/index.js";
import { Recorder } from "@echelon/testing";

describe("scatter-gather properties", () => {
  it("leaves no running work, whatever the strategy, when aborted at any moment", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("all", "first", "quorum", "majority"),
        fc.array(
          fc.record({
            rounds: fc.integer({ min: 1, max: 6 }),
            answer: fc.integer({ min: 0, max: 2 }),
            fails: fc.boolean(),
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        fc.integer({ min: 1, max: 20 }),
        async (gather, replicas, abortAt) => {
          const rec = new Recorder();
          const controller = new AbortController();
          rec.onChunk = (n) => {
            if (n === abortAt) controller.abort();
          };
          const agent = rec.agent((w) => {
            const i = Number(w.nodePath.split("#replica-")[1]) - 1;
            const r = replicas[i]!;
            return { rounds: r.rounds, output: r.answer, ...(r.fails ? { fail: "no" } : {}) };
          });
          const run = await runPatternOnSlices(
            createScatterGatherPattern(),
            [{ sliceId: "q", content: 1 }],
            [agent],
            {
              options: { gather, replicas: replicas.length },
              signal: controller.signal,
            },
          );
          rec.stop();
          expect(rec.running.size).toBe(0);
          await rec.drain();
          expect(rec.workAfterStop + rec.startsAfterStop).toBe(0);
          if (run.status === "cancelled") expect(controller.signal.aborted).toBe(true);
          if (run.success) {
            const responded = (run.result as { responded: string[] }).responded;
            expect(responded.every((id) => !replicas[Number(id.split("#replica-")[1]) - 1]!.fails)).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  it("majority picks an answer given by more than half of the replicas, or fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 7 }),
        async (answers) => {
          const rec = new Recorder();
          const agent = rec.agent((w) => ({ output: answers[Number(w.nodePath.split("#replica-")[1]) - 1] }));
          const run = await runPatternOnSlices(
            createScatterGatherPattern({ gather: "majority" }),
            [{ sliceId: "q", content: 0 }],
            [agent],
            {
              options: { replicas: answers.length },
            },
          );
          const counts = new Map<number, number>();
          for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
          const winner = [...counts].find(([, c]) => c > answers.length / 2)?.[0];
          if (winner === undefined) expect(run.error?.code).toBe("ECHELON_SCATTER_GATHER_NO_MAJORITY");
          else expect((run.result as { value: unknown }).value).toBe(winner);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("quorum k returns exactly k answers when at least k respondents succeed, else fails coded", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ fails: fc.boolean(), rounds: fc.integer({ min: 1, max: 5 }) }), {
          minLength: 1,
          maxLength: 7,
        }),
        fc.integer({ min: 1, max: 7 }),
        async (replicas, k) => {
          fc.pre(k <= replicas.length);
          const rec = new Recorder();
          const agent = rec.agent((w) => {
            const r = replicas[Number(w.nodePath.split("#replica-")[1]) - 1]!;
            return { rounds: r.rounds, output: w.nodePath, ...(r.fails ? { fail: "down" } : {}) };
          });
          const run = await runPatternOnSlices(
            createScatterGatherPattern(),
            [{ sliceId: "q", content: 0 }],
            [agent],
            {
              options: { gather: "quorum", quorum: k, replicas: replicas.length },
            },
          );
          rec.stop();
          const healthy = replicas.filter((r) => !r.fails).length;
          if (healthy >= k) {
            const value = (run.result as { value: string[] }).value;
            expect(value).toHaveLength(k);
            expect(value.every((p) => !replicas[Number(p.split("#replica-")[1]) - 1]!.fails)).toBe(true);
          } else {
            expect(run.error?.code).toBe("ECHELON_SCATTER_GATHER_QUORUM_NOT_REACHED");
          }
          expect(rec.running.size).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});

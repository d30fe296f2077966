import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type EchelonEvent,
  foldRunState,
  functionAgent,
  HierarchicalOrchestrator,
  type OrchestrationStatus,
  runStatus,
  type TaskSpec,
} from "../src/index.js";
import { testPatterns } from "./support/test-patterns.js";

type Act = "ok" | "fail" | "flaky" | "slow";

/** A leaf's behaviour travels in its input: real asynchronous turns, honest failures. */
const agent = functionAgent({ capacity: 4 }, async (work, ctx) => {
  const { act, turns } = work.input as { act: Act; turns: number };
  for (let i = 0; i < turns; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (ctx.signal.aborted) throw ctx.signal.reason;
  }
  if (act === "fail" || (act === "flaky" && ctx.attempt === 1))
    throw new Error(`${act} on attempt ${ctx.attempt}`);
  if (act === "slow") {
    for (let i = 0; i < 20 && !ctx.signal.aborted; i++) await new Promise<void>((r) => setImmediate(r));
    if (ctx.signal.aborted) throw ctx.signal.reason;
  }
  return { done: work.nodePath };
});

const leafArb: fc.Arbitrary<TaskSpec> = fc
  .record({
    act: fc.constantFrom<Act>("ok", "ok", "ok", "fail", "flaky", "slow"),
    turns: fc.nat(3),
    compensate: fc.boolean(),
  })
  .map(({ act, turns, compensate }) => ({
    description: `leaf ${act}`,
    input: { act, turns },
    ...(act === "flaky" ? { retry: { attempts: 2, backoffMs: 0 } } : {}),
    ...(compensate ? { compensate: { description: "undo", input: { act: "ok", turns: 1 } } } : {}),
  }));

const pattern = fc.constantFrom("test-parallel", "test-sequence", "test-saga");

const planArb: fc.Arbitrary<TaskSpec> = fc
  .letrec<{ node: TaskSpec }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leafArb,
      fc.record({
        description: fc.constant("group"),
        pattern,
        children: fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
      }),
    ),
  }))
  .node.map((node) =>
    node.children === undefined ? { description: "root", pattern: "test-parallel", children: [node] } : node,
  );

/** The status without the one field that depends on when it is read. */
function timeless(status: OrchestrationStatus): Omit<OrchestrationStatus, "elapsedMs"> {
  const { elapsedMs: _elapsed, ...rest } = status;
  return rest;
}

describe("run-state fold", () => {
  it("at every event, folding the recorded events gives the live status; counts always sum to the total", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, fc.option(fc.nat(60), { nil: undefined }), async (spec, cancelAt) => {
        const o = new HierarchicalOrchestrator({
          maxDepth: 16,
          maxAgentsPerLevel: [2, 4],
          agents: [agent],
          plugins: [testPatterns()],
          eventStore: null,
        });
        const events: EchelonEvent[] = [];
        const mismatches: string[] = [];
        o.events.onAny((event) => {
          if (event.orchestrationId !== "p") return;
          events.push(event);
          const live = o.getOrchestrationStatus("p");
          const folded = runStatus(foldRunState(events), event.ts);
          try {
            expect(timeless(folded)).toEqual(timeless(live));
            const c = live;
            expect(
              c.pendingTasks +
                c.runningTasks +
                c.completedTasks +
                c.failedTasks +
                c.cancelledTasks +
                c.skippedTasks +
                c.compensatedTasks,
            ).toBe(c.totalTasks);
          } catch (error) {
            mismatches.push(
              `after event ${events.length} (${event.type} ${event.nodePath}): ${String(error)}`,
            );
          }
          if (cancelAt !== undefined && events.length === cancelAt) o.cancelOrchestration("p");
        });
        const result = await o.orchestrateComplexTask(spec, { orchestrationId: "p" });
        await o.shutdown();
        expect(mismatches).toEqual([]);
        // The terminal event settles every task: nothing is left pending or running.
        const end = o.getOrchestrationStatus("p");
        expect(end.pendingTasks + end.runningTasks).toBe(0);
        expect(end.state).toBe(result.state);
        if (result.state === "cancelled") expect(end.progress).toBeLessThanOrEqual(100);
      }),
      { numRuns: 60 },
    );
  });
});

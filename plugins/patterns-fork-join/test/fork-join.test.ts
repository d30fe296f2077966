import { type AgentWork, type EchelonEvent, EventBus, type TaskSlice } from "@echelon/core";
import { type PatternChild, runPatternOnSlices } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { createForkJoinPattern, ForkJoinErrorCode, forkJoinPattern } from "../src/index.js";
import { Recorder, type WorkPlan } from "@echelon/testing";

const slice = (
  sliceId: string,
  dependencies: string[] = [],
  content: unknown = { n: sliceId },
): TaskSlice => ({
  sliceId,
  content,
  dependencies,
});

function byTask(plans: Record<string, WorkPlan>): (work: AgentWork) => WorkPlan {
  return (work) => plans[work.taskId] ?? { rounds: 1 };
}

describe("fork-join: happy paths", () => {
  it("joins every child's output by id with join 'all'", async () => {
    const rec = new Recorder();
    const agent = rec.agent((w) => ({ output: `done:${w.taskId}` }));
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      [slice("a"), slice("b"), slice("c")],
      [agent],
    );
    expect(run.status).toBe("completed");
    expect(run.result).toEqual({ a: "done:a", b: "done:b", c: "done:c" });
    expect(run.details).toMatchObject({
      join: "all",
      failurePolicy: "fail-fast",
      completed: ["a", "b", "c"],
    });
    expect(rec.maxRunning).toBe(3);
  });

  it("runs dependents after their dependencies and passes outputs only when passOutputs is true", async () => {
    const seen: Record<string, unknown> = {};
    const rec = new Recorder();
    const agent = rec.agent((w) => {
      seen[w.taskId] = w.input;
      return { output: { from: w.taskId } };
    });
    const slices = [slice("a"), slice("b", ["a"], { own: 1 }), slice("c", ["a", "b"], "text")];
    const plain = await runPatternOnSlices(createForkJoinPattern(), slices, [agent]);
    expect(plain.status).toBe("completed");
    expect(seen.b).toEqual({ own: 1 });
    expect(rec.startOf("b")!).toBeGreaterThan(rec.endOf("a")!.seq);
    expect(rec.startOf("c")!).toBeGreaterThan(rec.endOf("b")!.seq);

    const passing = await runPatternOnSlices(createForkJoinPattern(), slices, [agent], {
      options: { passOutputs: true },
    });
    expect(passing.status).toBe("completed");
    expect(seen.b).toEqual({ own: 1, a: { from: "a" } });
    expect(seen.c).toEqual({ input: "text", a: { from: "a" }, b: { from: "b" } });
  });

  it("starts a child as soon as its own dependencies are done (no level barrier)", async () => {
    let cStarted!: () => void;
    const cStart = new Promise<void>((resolve) => {
      cStarted = resolve;
    });
    const rec = new Recorder();
    const agent = rec.agent((w) => {
      if (w.taskId === "c") cStarted();
      // b (level 0) only finishes once c (level 1, after a) has started: a barrier would deadlock.
      return w.taskId === "b" ? { gate: cStart } : { rounds: 1 };
    });
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      [slice("a"), slice("b"), slice("c", ["a"])],
      [agent],
      {
        signal: AbortSignal.timeout(5_000),
      },
    );
    expect(run.status).toBe("completed");
    expect(rec.startOf("c")!).toBeLessThan(rec.endOf("b")!.seq);
  });

  it("never runs more than maxParallel children at once", async () => {
    const rec = new Recorder();
    const slices = Array.from({ length: 8 }, (_, i) => slice(`s${i}`));
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      slices,
      [rec.agent(() => ({ rounds: 3 }))],
      {
        options: { maxParallel: 2 },
      },
    );
    expect(run.status).toBe("completed");
    expect(rec.maxRunning).toBe(2);
    expect(run.details.maxParallel).toBe(2);
  });

  it("caps maxParallel at the available slots", async () => {
    const rec = new Recorder();
    const slices = Array.from({ length: 6 }, (_, i) => slice(`s${i}`));
    const run = await runPatternOnSlices(createForkJoinPattern({ maxParallel: 50 }), slices, [
      rec.agent(() => ({ rounds: 2 }), { capacity: 3 }),
    ]);
    expect(run.details.maxParallel).toBe(3);
    expect(rec.maxRunning).toBeLessThanOrEqual(3);
  });

  it("uses a registered custom join strategy", async () => {
    const pattern = createForkJoinPattern();
    pattern.registerJoinStrategy("count", (outcomes) => ({
      result: outcomes.filter((o) => o.status === "completed").length,
      details: { counted: true },
    }));
    expect(pattern.joinStrategies()).toContain("count");
    const rec = new Recorder();
    const run = await runPatternOnSlices(pattern, [slice("a"), slice("b")], [rec.agent(() => ({}))], {
      options: { join: "count" },
    });
    expect(run.result).toBe(2);
    expect(run.details).toMatchObject({ join: "count", counted: true });
  });
});

describe("fork-join: scheduling order and events", () => {
  it("starts ready children by priority, then declaration order", async () => {
    const rec = new Recorder();
    const slices: TaskSlice[] = [
      { sliceId: "low", content: 0 },
      { sliceId: "high", content: 0, metadata: { priority: 5 } },
      { sliceId: "mid-1", content: 0, metadata: { priority: 1 } },
      { sliceId: "mid-2", content: 0, metadata: { priority: 1 } },
    ];
    const run = await runPatternOnSlices(createForkJoinPattern({ maxParallel: 1 }), slices, [
      rec.agent(() => ({})),
    ]);
    expect(run.status).toBe("completed");
    expect(rec.marks.filter((m) => m.kind === "start").map((m) => m.key)).toEqual([
      "high",
      "mid-1",
      "mid-2",
      "low",
    ]);
  });

  it("journals skipped children and the siblings it aborted", async () => {
    const bus = new EventBus();
    const seen: EchelonEvent[] = [];
    bus.onAny((e) => {
      if (e.type.startsWith("fork-join:")) seen.push(e);
    });
    const rec = new Recorder();
    const agent = rec.agent(byTask({ a: { fail: "a broke" }, b: { rounds: 500 } }));
    await runPatternOnSlices(createForkJoinPattern(), [slice("a"), slice("b"), slice("c", ["a"])], [agent], {
      events: bus,
    });
    expect(seen.map((e) => e.type)).toEqual(["fork-join:childSkipped", "fork-join:childrenAborted"]);
    expect(seen[0]).toMatchObject({ child: "c", reason: "dependency-failed", dependency: "a" });
    expect(seen[1]).toMatchObject({ children: ["b"], reason: "failure", trigger: "a" });
  });
});

describe("fork-join: failure policies and joins", () => {
  const failingA = byTask({ a: { fail: "a broke" }, b: { rounds: 500 }, c: { rounds: 1 } });
  const slices = [slice("a"), slice("b"), slice("c", ["a"])];

  it("fail-fast aborts running siblings, skips dependents and says which", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(createForkJoinPattern(), slices, [rec.agent(failingA)]);
    rec.stop();
    expect(run.success).toBe(false);
    expect(run.error?.code).toBe(ForkJoinErrorCode.FAILED);
    expect(run.error?.cause?.message).toContain("a broke");
    expect(run.error?.details).toMatchObject({
      failurePolicy: "fail-fast",
      failed: ["a"],
      aborted: ["b"],
      skipped: ["c"],
    });
    expect(run.error?.message).toContain("aborted (fail-fast): b");
    expect(rec.endOf("b")?.outcome).toBe("aborted");
    expect(rec.startOf("c")).toBeUndefined();
    expect(rec.running.size).toBe(0);
    await rec.drain();
    expect(rec.workAfterStop).toBe(0);
  });

  it("continue lets siblings finish, still fails join 'all' and keeps completed outputs", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(createForkJoinPattern(), slices, [rec.agent(failingA)], {
      options: { failurePolicy: "continue" },
    });
    expect(run.error?.code).toBe(ForkJoinErrorCode.FAILED);
    expect(run.error?.details).toMatchObject({
      failurePolicy: "continue",
      failed: ["a"],
      aborted: [],
      skipped: ["c"],
    });
    expect(Object.keys(run.error?.details?.completed as object)).toEqual(["b"]);
    expect(rec.endOf("b")?.outcome).toBe("completed");
  });

  it("all-settled reports every outcome as partial", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(createForkJoinPattern(), slices, [rec.agent(failingA)], {
      options: { join: "all-settled" },
    });
    expect(run.status).toBe("partial");
    expect(run.details).toMatchObject({ failurePolicy: "continue", failed: ["a"], skipped: ["c"] });
    const result = run.result as Array<{ id: string; status: string; error?: { code: string } }>;
    expect(result.map((r) => [r.id, r.status])).toEqual([
      ["a", "failed"],
      ["b", "completed"],
      ["c", "skipped"],
    ]);
    expect(result[2]?.error?.code).toBe(ForkJoinErrorCode.SKIPPED);
  });

  it("all-settled with explicit fail-fast lists aborted siblings as cancelled", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(createForkJoinPattern(), slices, [rec.agent(failingA)], {
      options: { join: "all-settled", failurePolicy: "failFast" },
    });
    expect(run.status).toBe("partial");
    expect(run.details).toMatchObject({ failurePolicy: "fail-fast", aborted: ["b"], stoppedBy: "failure" });
  });

  it("first-success returns the first completed child and aborts the rest", async () => {
    const rec = new Recorder();
    const agent = rec.agent(
      byTask({ fast: { output: "fast wins" }, slow: { rounds: 1000 }, bad: { fail: "no" } }),
    );
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      [slice("bad"), slice("slow"), slice("fast")],
      [agent],
      {
        options: { join: "first-success" },
      },
    );
    expect(run.status).toBe("completed");
    expect(run.result).toBe("fast wins");
    expect(run.details).toMatchObject({ winner: "fast", stoppedBy: "satisfied" });
    expect(run.details.aborted).toContain("slow");
    expect(rec.endOf("slow")?.outcome).toBe("aborted");
  });

  it("first-success with no success fails with a coded error", async () => {
    const rec = new Recorder();
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      [slice("a"), slice("b")],
      [rec.agent(() => ({ fail: "x" }))],
      {
        options: { join: "first-success" },
      },
    );
    expect(run.error?.code).toBe(ForkJoinErrorCode.NO_SUCCESS);
    expect(run.error?.details).toMatchObject({ failed: ["a", "b"] });
  });

  it("cancellation stops everything and reports the run cancelled", async () => {
    const rec = new Recorder();
    const controller = new AbortController();
    rec.onChunk = (n) => {
      if (n === 5) controller.abort();
    };
    const run = await runPatternOnSlices(
      createForkJoinPattern(),
      [slice("a"), slice("b"), slice("c", ["a"])],
      [rec.agent(() => ({ rounds: 50 }))],
      { signal: controller.signal },
    );
    rec.stop();
    expect(run.status).toBe("cancelled");
    expect(run.error?.code).toBe("ECHELON_CANCELLED");
    expect(rec.running.size).toBe(0);
    expect(rec.startOf("c")).toBeUndefined();
    await rec.drain();
    expect(rec.workAfterStop + rec.startsAfterStop).toBe(0);
  });
});

const child = (id: string): PatternChild => ({
  id,
  description: id,
  input: null,
  dependsOn: [],
  capabilities: [],
  priority: 0,
  composite: false,
  hasCompensation: false,
  metadata: {},
});

describe("fork-join: bad input", () => {
  const agent = new Recorder().agent(() => ({}));
  // Bad input is refused before any work: by the pattern's checkOptions, or by core's slice checks.
  const codeOf = async (slices: TaskSlice[], options: Record<string, unknown> = {}) => {
    try {
      return (await runPatternOnSlices(createForkJoinPattern(), slices, [agent], { options })).error?.code;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it("rejects cycles, unknown dependencies and duplicate ids before any work", async () => {
    expect(await codeOf([slice("a", ["b"]), slice("b", ["a"])])).toBe(ForkJoinErrorCode.DEPENDENCY_CYCLE);
    expect(await codeOf([slice("a", ["a"])])).toBe(ForkJoinErrorCode.DEPENDENCY_CYCLE);
    expect(await codeOf([slice("a", ["zzz"])])).toBe("ECHELON_SPEC_INVALID");
    expect(await codeOf([slice("a"), slice("a")])).toBe("ECHELON_CONFIG_INVALID");
    const { pattern } = forkJoinPattern();
    expect(() => pattern.checkOptions!({}, [{ ...child("a"), dependsOn: ["zzz"] }])).toThrow(
      expect.objectContaining({ code: ForkJoinErrorCode.UNKNOWN_DEPENDENCY }),
    );
    expect(() => pattern.checkOptions!({}, [child("a"), child("a")])).toThrow(
      expect.objectContaining({ code: ForkJoinErrorCode.DUPLICATE_CHILD }),
    );
  });

  it("rejects unknown join strategies and bad options", async () => {
    expect(await codeOf([slice("a")], { join: "fastest" })).toBe(ForkJoinErrorCode.UNKNOWN_STRATEGY);
    expect(await codeOf([slice("a")], { maxParallel: 0 })).toBe(ForkJoinErrorCode.INVALID_OPTIONS);
    expect(await codeOf([slice("a")], { failurePolicy: "explode" })).toBe(ForkJoinErrorCode.INVALID_OPTIONS);
    expect(await codeOf([slice("a")], { passOutputs: "yes" })).toBe(ForkJoinErrorCode.INVALID_OPTIONS);
    expect(() => createForkJoinPattern({ maxParallel: 1.5 })).toThrow(
      expect.objectContaining({ code: ForkJoinErrorCode.INVALID_OPTIONS }),
    );
  });

  it("refuses to silently replace a join strategy", () => {
    const pattern = createForkJoinPattern();
    expect(() => pattern.registerJoinStrategy("all", () => ({ result: 1 }))).toThrow(
      expect.objectContaining({ code: ForkJoinErrorCode.DUPLICATE_STRATEGY }),
    );
    pattern.registerJoinStrategy("all", () => ({ result: 1 }), { override: true });
    expect(pattern.joinStrategies()).toContain("all");
  });

  it("reports a throwing custom strategy with a coded error, without hanging", async () => {
    const pattern = createForkJoinPattern();
    pattern.registerJoinStrategy("broken-join", () => {
      throw new TypeError("oops in join");
    });
    pattern.registerJoinStrategy("broken-early", {
      join: () => ({ result: null }),
      satisfied: () => {
        throw new TypeError("oops in satisfied");
      },
    });
    const rec = new Recorder();
    const agent = rec.agent(byTask({ a: { rounds: 1 }, b: { rounds: 300 } }));
    const join = await runPatternOnSlices(pattern, [slice("a")], [agent], {
      options: { join: "broken-join" },
    });
    expect(join.error?.code).toBe(ForkJoinErrorCode.STRATEGY_FAILED);
    expect(join.error?.cause?.message).toBe("oops in join");
    pattern.registerJoinStrategy("no-result", () => undefined as unknown as { result: unknown });
    const empty = await runPatternOnSlices(pattern, [slice("a")], [agent], {
      options: { join: "no-result" },
    });
    expect(empty.error?.code).toBe(ForkJoinErrorCode.STRATEGY_FAILED);
    const early = await runPatternOnSlices(pattern, [slice("a"), slice("b")], [agent], {
      options: { join: "broken-early" },
    });
    expect(early.error?.code).toBe(ForkJoinErrorCode.STRATEGY_FAILED);
    expect(rec.endOf("b")?.outcome).toBe("aborted");
  });

  it("completes an empty fork-join with an empty result", async () => {
    const run = await runPatternOnSlices(createForkJoinPattern(), [], [agent]);
    expect(run.status).toBe("completed");
    expect(run.result).toEqual({});
  });
});

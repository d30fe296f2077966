import { failingAgent, recordingAgent, slowAgent } from "@echelon/testing";
import { describe, expect, it } from "vitest";
import { runMapReduce, turnAgent } from "./helpers.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("map-reduce failure modes", () => {
  it("an unknown reducer is a coded error before any map work", async () => {
    const agent = recordingAgent();
    const error = await runMapReduce([1, 2], [agent], { reducer: "median" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ECHELON_MAPREDUCE_REDUCER_UNKNOWN" });
    expect((error as Error).message).toContain("concat");
    expect(agent.calls).toHaveLength(0);
  });

  it("an unknown combiner and bad options are coded errors", async () => {
    const agent = recordingAgent();
    await expect(runMapReduce([1], [agent], { combiner: "nope" })).rejects.toMatchObject({
      code: "ECHELON_MAPREDUCE_REDUCER_UNKNOWN",
    });
    for (const bad of [
      { chunkSize: 0 },
      { chunkSize: 1.5 },
      { onError: "ignore" },
      { maxInFlight: -1 },
      { reducer: 3 },
    ]) {
      await expect(runMapReduce([1], [agent], bad)).rejects.toMatchObject({
        code: "ECHELON_MAPREDUCE_OPTIONS_INVALID",
      });
    }
    expect(agent.calls).toHaveLength(0);
  });

  it("fail-fast: the first failure aborts running maps and starts no more", async () => {
    const slow = [slowAgent(60_000), slowAgent(60_000)];
    const failing = failingAgent({ failWhen: (w) => w.input === 2 });
    const r = await runMapReduce(range(50), [...slow, failing], {});
    expect(r.success).toBe(false);
    expect(r.status).toBe("failed");
    expect(r.error?.code).toBe("ECHELON_TESTING_INJECTED_FAILURE");
    expect(r.details).toMatchObject({ taskId: "s2" });
    const started = [...slow, failing].flatMap((a) => a.calls);
    expect(started.length).toBeLessThan(50);
    for (const call of slow.flatMap((a) => a.calls)) expect(call.sawAbort).toBe(true);
  });

  it("continue: failures are listed, the rest is reduced, the run is partial", async () => {
    const agent = failingAgent({ failWhen: (w) => Number(w.input) % 3 === 0 });
    const r = await runMapReduce(range(10), [agent], { reducer: "sum", onError: "continue" });
    expect(r.success).toBe(true);
    expect(r.status).toBe("partial");
    expect(r.result).toBe(1 + 2 + 4 + 5 + 7 + 8);
    expect(r.details).toMatchObject({ failed: 4, mapped: 6, failurePolicy: "continue" });
    expect((r.details.failures as { id: string }[]).map((f) => f.id).sort()).toEqual([
      "s0",
      "s3",
      "s6",
      "s9",
    ]);
  });

  it("continue with a combiner skips failed children inside partitions", async () => {
    const agent = failingAgent({ failWhen: (w) => w.input === 1 || w.input === 3 || w.input === 4 });
    const r = await runMapReduce([1, 2, 3, 4, 5, 6], [agent], {
      combiner: "sum",
      chunkSize: 2,
      onError: "continue",
    });
    expect(r.result).toEqual([2, 11]);
    expect(r.status).toBe("partial");
  });

  it("an output the reducer cannot take is ECHELON_MAPREDUCE_REDUCE_FAILED naming the child", async () => {
    const r = await runMapReduce([1, "two", 3], [turnAgent((x) => x)], { reducer: "sum" });
    expect(r.error).toMatchObject({
      code: "ECHELON_MAPREDUCE_REDUCE_FAILED",
      details: { child: "s1", reducer: "sum" },
    });
  });

  it.each([
    ["a count that is not a number", { a: 1, b: "2" }],
    ["a count that is null", { a: null }],
    ["an array", [1]],
  ])("merge-counts refuses %s, naming the child", async (_, bad) => {
    const outputs = [{ a: 1 }, bad, { a: 2 }];
    const r = await runMapReduce([0, 1, 2], [turnAgent((i) => outputs[Number(i)])], {
      reducer: "merge-counts",
    });
    expect(r.error).toMatchObject({
      code: "ECHELON_MAPREDUCE_REDUCE_FAILED",
      details: { child: "s1", reducer: "merge-counts" },
    });
  });

  it("a throwing custom reducer is ECHELON_MAPREDUCE_REDUCE_FAILED with the cause", async () => {
    const r = await runMapReduce(
      [1, 2],
      [turnAgent((x) => x)],
      { reducer: "boom" },
      {
        plugin: {
          reducers: {
            boom: () => {
              throw new Error("kaput");
            },
          },
        },
      },
    );
    expect(r.error).toMatchObject({ code: "ECHELON_MAPREDUCE_REDUCE_FAILED", cause: { message: "kaput" } });
  });

  it("a non-serialisable map output fails the run with ECHELON_RESULT_NOT_SERIALIZABLE", async () => {
    const r = await runMapReduce([1, 2], [turnAgent(() => ({ at: new Map() }))], {});
    expect(r.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
  });

  it("abort mid-run cancels running maps and dispatches no more", async () => {
    const controller = new AbortController();
    const agents = [1, 2, 3].map(() =>
      slowAgent(60_000, { onStart: () => queueMicrotask(() => controller.abort()) }),
    );
    const r = await runMapReduce(range(100), agents, {}, { signal: controller.signal });
    expect(r.status).toBe("cancelled");
    expect(r.error?.code).toBe("ECHELON_CANCELLED");
    const calls = agents.flatMap((a) => a.calls);
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(calls.every((c) => c.sawAbort && !c.abortedAtStart)).toBe(true);
  });

  it("registerCustomReducer refuses a taken name unless overridden, and bad arguments", async () => {
    const { mapReducePattern } = await import("../src/index.js");
    const { pattern } = mapReducePattern();
    expect(() => pattern.registerCustomReducer("sum", (a) => a)).toThrow(
      expect.objectContaining({ code: "ECHELON_MAPREDUCE_REDUCER_INVALID" }),
    );
    pattern.registerCustomReducer("sum", (a, b) => Number(a) * Number(b), { override: true });
    expect(() => pattern.registerCustomReducer("", (a) => a)).toThrow(
      expect.objectContaining({ code: "ECHELON_MAPREDUCE_REDUCER_INVALID" }),
    );
  });
});

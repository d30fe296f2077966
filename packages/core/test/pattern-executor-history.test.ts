import { describe, expect, it } from "vitest";
import { ExecutionHistory } from "../src/pattern-executor/execution-history.js";

const entry = (pattern: string, ms: number, success = true) => ({
  runId: `${pattern}-${ms}`,
  pattern,
  success,
  status: success ? ("completed" as const) : ("failed" as const),
  executionTimeMs: ms,
  startedAt: 0,
  slices: 1,
  errorCode: success ? null : "ECHELON_TASK_FAILED",
});

describe("ExecutionHistory statistics", () => {
  it("computes mean and nearest-rank p50/p95 per pattern, and success rate in percent", () => {
    const history = new ExecutionHistory(100);
    for (const ms of [100, 30, 70, 10, 90, 50, 20, 80, 40, 60]) history.add(entry("a", ms, ms !== 30));
    history.add(entry("b", 7));
    const perf = history.performance();
    expect(Object.keys(perf)).toEqual(["a", "b"]);
    expect(perf.a).toEqual({
      pattern: "a",
      executions: 10,
      successes: 9,
      successRate: 90,
      meanMs: 55,
      p50Ms: 50,
      p95Ms: 100,
    });
    expect(perf.b).toMatchObject({ executions: 1, p50Ms: 7, p95Ms: 7, meanMs: 7, successRate: 100 });
  });

  it("drops the oldest runs beyond capacity", () => {
    const history = new ExecutionHistory(2);
    for (const ms of [1, 2, 3]) history.add(entry("a", ms));
    expect(history.list().map((e) => e.executionTimeMs)).toEqual([2, 3]);
    expect(history.performance().a?.executions).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { type EchelonEvent, EventBus } from "../src/index.js";
import { definePlugin, type EchelonPlugin, type Pattern, type PatternChild } from "../src/plugin.js";
import { OrchestrationPattern, PatternExecutor } from "../src/index.js";

/** A pattern with its own registration method, like the real plugins. */
class ScalePattern implements Pattern {
  readonly name = "scale";
  readonly ordering = "parallel" as const;
  factor = 1;
  setFactor(factor: number): void {
    this.factor = factor;
  }
  async execute(children: readonly PatternChild[], ctx: Parameters<Pattern["execute"]>[1]) {
    const outputs = await Promise.all(children.map((c) => ctx.runChild(c)));
    return { result: outputs.map((o) => Number(o) * this.factor) };
  }
}

declare module "../src/pattern-executor/orchestration-pattern.js" {
  interface PatternRegistry {
    scale: ScalePattern;
  }
}

const pluginOf = (pattern: Pattern, name = `test-${pattern.name}`): EchelonPlugin =>
  definePlugin({ name, version: "1.0.0", register: (ctx) => ctx.registerPattern(pattern) });

const slices = [1, 2, 3].map((n) => ({ sliceId: `s${n}`, content: n }));
const square = async (work: { input: unknown }) => Number(work.input) ** 2;

describe("PatternExecutor.executePattern", () => {
  it("runs a pattern from a plugin over functions, Agent objects and registered ids", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())], agents: { sq: square } });
    const viaFn = await executor.executePattern("scale", slices, [square]);
    expect(viaFn).toMatchObject({ success: true, status: "completed", result: [1, 4, 9], pattern: "scale" });
    const viaId = await executor.executePattern("scale", slices, ["sq"]);
    expect(viaId.result).toEqual([1, 4, 9]);
    const viaDefault = await executor.executePattern("scale", slices);
    expect(viaDefault.result).toEqual([1, 4, 9]);
    const agent = { id: "a", type: "t", capabilities: [], capacity: 2, execute: async () => 5 };
    expect((await executor.executePattern("scale", slices, agent)).result).toEqual([5, 5, 5]);
  });

  it("exposes pattern objects so their own registration methods can be called", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())] });
    executor.patterns.scale?.setFactor(10);
    const r = await executor.executePattern("scale", slices, [square]);
    expect(r.result).toEqual([10, 40, 90]);
    expect(executor.getPattern("scale")).toBe(executor.patterns.scale);
  });

  it("refuses unknown patterns, unknown agent ids, missing agents and malformed slices with codes", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())] });
    await expect(executor.executePattern(OrchestrationPattern.SAGA, slices, [square])).rejects.toMatchObject({
      code: "ECHELON_PATTERN_UNKNOWN",
      details: { known: ["scale"] },
    });
    await expect(executor.executePattern("scale", slices, ["ghost"])).rejects.toMatchObject({
      code: "ECHELON_AGENT_TYPE_UNKNOWN",
    });
    await expect(executor.executePattern("scale", slices)).rejects.toMatchObject({
      code: "ECHELON_CONFIG_INVALID",
    });
    await expect(executor.executePattern("scale", [slices[0]!, slices[0]!], [square])).rejects.toMatchObject({
      code: "ECHELON_CONFIG_INVALID",
    });
    await expect(
      executor.executePattern("scale", [{ sliceId: "a", content: 1, dependencies: ["zz"] }], [square]),
    ).rejects.toMatchObject({ code: "ECHELON_SPEC_INVALID" });
    expect(executor.getExecutionHistory()).toHaveLength(0);
  });

  it("refuses a duplicate agent id and two plugins registering one pattern name", () => {
    const executor = new PatternExecutor({ agents: { a: square } });
    expect(() => executor.registerAgent("a", square)).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => executor.registerAgent("b", 42 as never)).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(
      () =>
        new PatternExecutor({
          plugins: [pluginOf(new ScalePattern(), "one"), pluginOf(new ScalePattern(), "two")],
        }),
    ).toThrow(
      expect.objectContaining({
        code: "ECHELON_PLUGIN_NAME_CONFLICT",
        details: expect.objectContaining({ plugins: ["one", "two"] }),
      }),
    );
    expect(() => new PatternExecutor({ historySize: 0 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
  });

  it("keeps each slice's output in the outcomes unless keepOutputs is false", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())] });
    const kept = await executor.executePattern("scale", slices, [square]);
    expect(kept.outcomes.map((o) => o.output)).toEqual([1, 4, 9]);
    const dropped = await executor.executePattern("scale", slices, [square], { keepOutputs: false });
    expect(dropped.result).toEqual([1, 4, 9]);
    expect(dropped.outcomes.map((o) => [o.status, "output" in o])).toEqual([
      ["completed", false],
      ["completed", false],
      ["completed", false],
    ]);
  });

  it("runs as an orchestration of a virtual plan: orchestration, pattern and task events on the bus it was given", async () => {
    const events = new EventBus();
    const seen: EchelonEvent[] = [];
    events.onAny((e) => seen.push(e));
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())], events });
    const r = await executor.executePattern("scale", slices, [square], { runId: "run-1" });
    expect(r.runId).toBe("run-1");
    expect(seen[0]).toMatchObject({ type: "orchestration:started", orchestrationId: "run-1" });
    expect(seen.find((e) => e.type === "pattern:started")).toMatchObject({
      orchestrationId: "run-1",
      nodePath: "slices",
      pattern: "scale",
      children: 3,
    });
    expect(seen.find((e) => e.type === "pattern:completed")).toMatchObject({ status: "completed" });
    expect(seen.at(-1)).toMatchObject({ type: "orchestration:completed" });
    // three slices and the composite root
    expect(seen.filter((e) => e.type === "task:completed").map((e) => e.nodePath)).toEqual([
      "slices/s1",
      "slices/s2",
      "slices/s3",
      "slices",
    ]);
  });

  it("a cancelled run returns cancelled and is remembered as such", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())] });
    const controller = new AbortController();
    const hang = (_: unknown, ctx: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        controller.abort();
        ctx.signal.addEventListener("abort", () => reject(new Error("stopped")));
      });
    const r = await executor.executePattern("scale", slices, [hang], { signal: controller.signal });
    expect(r).toMatchObject({ success: false, status: "cancelled", error: { code: "ECHELON_CANCELLED" } });
    expect(executor.getExecutionHistory(1)[0]).toMatchObject({
      status: "cancelled",
      errorCode: "ECHELON_CANCELLED",
    });
  });
});

describe("PatternExecutor history and performance", () => {
  it("measures executions, success rate and percentiles from the runs it made", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())], historySize: 10 });
    const failing = async () => {
      throw new Error("no");
    };
    await executor.executePattern("scale", slices, [square]);
    await executor.executePattern("scale", slices, [failing]);
    await executor.executePattern("scale", slices, [square]);
    const perf = executor.getPatternPerformance().scale!;
    const times = executor
      .getExecutionHistory()
      .map((e) => e.executionTimeMs)
      .sort((a, b) => a - b);
    expect(perf).toMatchObject({ pattern: "scale", executions: 3, successes: 2 });
    expect(perf.successRate).toBeCloseTo(200 / 3, 10);
    expect(perf.meanMs).toBeCloseTo((times[0]! + times[1]! + times[2]!) / 3, 10);
    expect(perf.p50Ms).toBe(times[1]);
    expect(perf.p95Ms).toBe(times[2]);
  });

  it("keeps at most historySize runs, returns the last `limit` oldest first, and clears", async () => {
    const executor = new PatternExecutor({ plugins: [pluginOf(new ScalePattern())], historySize: 3 });
    for (let i = 0; i < 5; i++) await executor.executePattern("scale", slices, [square], { runId: `r${i}` });
    expect(executor.getExecutionHistory().map((e) => e.runId)).toEqual(["r2", "r3", "r4"]);
    expect(executor.getExecutionHistory(2).map((e) => e.runId)).toEqual(["r3", "r4"]);
    expect(executor.getExecutionHistory(0)).toEqual([]);
    expect(executor.getPatternPerformance().scale?.executions).toBe(3);
    executor.clearHistory();
    expect(executor.getExecutionHistory()).toEqual([]);
    expect(executor.getPatternPerformance()).toEqual({});
  });
});

import { describe, expect, it } from "vitest";
import { type AgentType, functionAgent, HierarchicalOrchestrator, MemoryEventStore } from "../src/index.js";
import { assertJsonSerializable, definePlugin, DECOMPOSER } from "../src/plugin.js";
import { leaves, testPatterns, timer } from "./support/test-patterns.js";

/** An agent type whose spawn never settles (a worker that never comes up). */
const neverSpawns: AgentType = {
  name: "never",
  capabilities: [],
  capacity: 1,
  spawn: () => new Promise(() => {}),
};

describe("cancel and shutdown with an agent type whose spawn never settles", () => {
  it("cancelOrchestration ends the run as cancelled", async () => {
    const o = new HierarchicalOrchestrator({ maxDepth: 1, agents: [neverSpawns], plugins: [testPatterns()] });
    const pending = o.orchestrateComplexTask(
      { description: "stuck", pattern: "test-parallel", children: leaves(2) },
      { orchestrationId: "stuck" },
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(o.cancelOrchestration("stuck")).toBe(true);
    const result = await pending;
    expect(result.state).toBe("cancelled");
    await o.shutdown();
  });

  it("shutdown returns", async () => {
    const o = new HierarchicalOrchestrator({ maxDepth: 1, agents: [neverSpawns], plugins: [testPatterns()] });
    const pending = o.orchestrateComplexTask({
      description: "stuck",
      pattern: "test-parallel",
      children: leaves(1),
    });
    await new Promise((r) => setTimeout(r, 20));
    await o.shutdown();
    expect((await pending).state).toBe("cancelled");
  });
});

describe("numeric options take documented bounds", () => {
  const bad: Array<[string, Record<string, unknown>]> = [
    ["defaultTimeoutMs beyond the longest timer", { defaultTimeoutMs: 1e12 }],
    ["defaultTimeoutMs NaN", { defaultTimeoutMs: Number.NaN }],
    ["defaultTimeoutMs negative", { defaultTimeoutMs: -1 }],
    ["abortGraceMs NaN", { abortGraceMs: Number.NaN }],
    ["abortGraceMs beyond the longest timer", { abortGraceMs: 1e12 }],
    ["retry backoff beyond the longest timer", { defaultRetry: { backoffMs: 1e12 } }],
    ["retry attempts huge", { defaultRetry: { attempts: 1e9 } }],
    ["retry attempts NaN", { defaultRetry: { attempts: Number.NaN } }],
    ["a cap of 1e12 agents", { maxAgentsPerLevel: 1e12 }],
    ["an unknown option", { maxAgentPerLevel: 3 }],
  ];
  for (const [what, options] of bad) {
    it(`refuses ${what} with ECHELON_CONFIG_INVALID`, () => {
      expect(() => new HierarchicalOrchestrator(options as never)).toThrow(
        expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
      );
    });
  }

  it("refuses a journal bound that is not a positive integer", () => {
    for (const maxOrchestrations of [0, -1, Number.NaN, 1.5, 1e12]) {
      expect(() => new MemoryEventStore({ maxOrchestrations })).toThrow(
        expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
      );
    }
  });

  it("refuses a task timeout beyond the longest timer in a spec", async () => {
    const o = new HierarchicalOrchestrator({ agents: [functionAgent({}, (w) => w.input)] });
    await expect(o.orchestrateComplexTask({ description: "t", timeoutMs: 1e12 })).rejects.toMatchObject({
      code: "ECHELON_SPEC_INVALID",
    });
    await o.shutdown();
  });
});

describe("a level cap counts executions that have not settled", () => {
  it("an agent that ignores its abort keeps its slot: never more executions at once than the cap", async () => {
    let running = 0;
    let peak = 0;
    let executions = 0;
    const release: Array<() => void> = [];
    const stubborn = functionAgent({}, async () => {
      executions++;
      running++;
      peak = Math.max(peak, running);
      // Ignores its signal entirely: it ends only when the test lets it.
      await new Promise<void>((r) => release.push(r));
      running--;
      return "late";
    });
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 1],
      agents: [stubborn],
      plugins: [testPatterns()],
      abortGraceMs: 5,
      defaultTimeoutMs: 10,
    });
    const result = await o.orchestrateComplexTask({
      description: "six",
      pattern: "test-sequence",
      children: leaves(6),
    });
    expect(result.state).toBe("failed");
    await new Promise((r) => setTimeout(r, 30));
    expect(peak).toBe(1);
    expect(executions).toBe(1);
    for (const r of release) r();
    await o.shutdown();
  });
});

describe("outputs that cannot be written", () => {
  it("an output nested 200,000 deep is refused by the serialisability check, never by JSON.stringify", async () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => assertJsonSerializable(deep, "deep")).toThrow(
      expect.objectContaining({ code: "ECHELON_RESULT_NOT_SERIALIZABLE" }),
    );
    const o = new HierarchicalOrchestrator({ agents: [functionAgent({}, () => deep)] });
    const result = await o.orchestrateComplexTask({ description: "deep" });
    expect(result.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
    expect(() => JSON.stringify(result)).not.toThrow();
    await o.shutdown();
  });

  it("a cycle is named as a cycle", () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => assertJsonSerializable(a, "v")).toThrow(
      expect.objectContaining({ details: { path: "$.self", found: expect.stringContaining("cycle") } }),
    );
  });
});

describe("cancel during planning", () => {
  it("gives the same shape as a cancel after it: a cancelled result", async () => {
    let planning!: () => void;
    const started = new Promise<void>((r) => {
      planning = r;
    });
    const slowDecomposer = definePlugin({
      name: "slow-decomposer",
      version: "1.0.0",
      register: (ctx) =>
        ctx.bind(DECOMPOSER, {
          name: "slow",
          async decompose(_task, options) {
            planning();
            await timer(60_000, options.signal!);
            throw new Error("unreachable");
          },
        }),
    });
    const o = new HierarchicalOrchestrator({
      agents: [functionAgent({}, (w) => w.input)],
      plugins: [slowDecomposer],
    });
    const pending = o.orchestrateComplexTask("anything", { orchestrationId: "p" });
    await started;
    expect(o.getOrchestrationStatus("p").state).toBe("pending");
    expect(o.cancelOrchestration("p")).toBe(true);
    const result = await pending;
    expect(result).toMatchObject({
      state: "cancelled",
      success: false,
      error: { code: "ECHELON_CANCELLED" },
    });
    expect(o.getOrchestrationStatus("p").state).toBe("cancelled");
    await o.shutdown();
  });
});

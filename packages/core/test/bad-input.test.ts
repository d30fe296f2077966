import { describe, expect, it } from "vitest";
import {
  EchelonError,
  functionAgent,
  HierarchicalOrchestrator,
  isEchelonError,
  type TaskSpec,
} from "../src/index.js";
import { assertJsonSerializable } from "../src/plugin.js";
import { testPatterns } from "./support/test-patterns.js";

const echo = functionAgent({ capabilities: ["text"] }, (w) => w.input ?? null);
const make = (extra: Record<string, unknown> = {}) =>
  new HierarchicalOrchestrator({ agents: [echo], plugins: [testPatterns()], ...extra });

async function failureOf(p: Promise<unknown>): Promise<EchelonError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EchelonError) return e;
    throw e;
  }
  throw new Error("expected a failure");
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === "function" ? p() : p);
  } catch (e) {
    if (isEchelonError(e)) return e.code;
    throw e;
  }
  return "no error";
}

describe("bad input gets coded errors", () => {
  it("orchestrator options", async () => {
    expect(await codeOf(() => new HierarchicalOrchestrator({ maxDepth: -1 }))).toBe("ECHELON_CONFIG_INVALID");
    expect(await codeOf(() => new HierarchicalOrchestrator({ maxDepth: Number.NaN }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(await codeOf(() => new HierarchicalOrchestrator({ maxAgentsPerLevel: [1, 0] }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(
      await codeOf(() => new HierarchicalOrchestrator({ maxAgentsPerLevel: Number.POSITIVE_INFINITY })),
    ).toBe("ECHELON_CONFIG_INVALID");
    expect(await codeOf(() => new HierarchicalOrchestrator({ maxAgentsPerLevel: { tenth: 3 } }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(await codeOf(() => new HierarchicalOrchestrator({ defaultRetry: { attempts: 0 } }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(await codeOf(() => new HierarchicalOrchestrator({ strategy: "fastest" }))).toBe(
      "ECHELON_STRATEGY_UNKNOWN",
    );
    expect(await codeOf(() => new HierarchicalOrchestrator({ agents: [{} as never] }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(await codeOf(() => new HierarchicalOrchestrator({ agents: [echo, echo] }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(await codeOf(() => functionAgent({ capacity: 0 }, () => 1))).toBe("ECHELON_CONFIG_INVALID");
  });

  it("specs: invalid, unknown pattern, cycles, too deep, forbidden keys, empty text", async () => {
    const o = make();
    expect(await codeOf(o.orchestrateComplexTask({ description: "" }))).toBe("ECHELON_SPEC_INVALID");
    expect(await codeOf(o.orchestrateComplexTask("   "))).toBe("ECHELON_SPEC_INVALID");
    expect(
      await codeOf(
        o.orchestrateComplexTask({ description: "x", pattern: "nope", children: [{ description: "y" }] }),
      ),
    ).toBe("ECHELON_PATTERN_UNKNOWN");
    expect(
      await codeOf(
        o.orchestrateComplexTask({
          description: "x",
          pattern: "test-parallel",
          children: [
            { id: "a", description: "a", dependsOn: ["b"] },
            { id: "b", description: "b", dependsOn: ["a"] },
          ],
        }),
      ),
    ).toBe("ECHELON_SPEC_DEPENDENCY_CYCLE");
    let deep: TaskSpec = { description: "leaf" };
    for (let i = 0; i < 10_000; i++)
      deep = { description: `n${i}`, pattern: "test-parallel", children: [deep] };
    expect(await codeOf(o.orchestrateComplexTask(deep))).toBe("ECHELON_SPEC_TOO_DEEP");
    const poisoned = JSON.parse('{"description":"x","input":{"__proto__":{"admin":true}}}');
    expect(await codeOf(o.orchestrateComplexTask(poisoned))).toBe("ECHELON_SPEC_INVALID");
    expect(await codeOf(o.orchestrateComplexTask({ description: "x", timeoutMs: -5 }))).toBe(
      "ECHELON_SPEC_INVALID",
    );
    expect(await codeOf(o.orchestrateComplexTask({ description: "x", priority: Number.NaN }))).toBe(
      "ECHELON_SPEC_INVALID",
    );
    const error = await failureOf(
      o.orchestrateComplexTask({
        description: "x",
        pattern: "test-parallel",
        children: [{ id: "a", description: "a", dependsOn: ["b"] }],
      }),
    );
    expect(error.message).toContain('children[0].dependsOn[0]: unknown task "b"');
    await o.shutdown();
  });

  it("a capability no agent offers fails before any work starts, naming capability and nodes", async () => {
    const o = make();
    let started = 0;
    o.events.on("task:started", () => void started++);
    const error = await failureOf(
      o.orchestrateComplexTask({
        description: "x",
        pattern: "test-parallel",
        children: [
          { id: "a", description: "a", capabilities: ["text"] },
          { id: "b", description: "b", capabilities: ["gpu"] },
          { id: "c", description: "c", capabilities: ["gpu", "text"] },
        ],
      }),
    );
    expect(error.code).toBe("ECHELON_AGENT_NO_CAPABILITY");
    expect(error.details.missing).toEqual([
      { capability: "gpu", level: "secondary", nodes: ["root/b", "root/c"] },
    ]);
    expect(error.message).toContain("gpu at level secondary, needed by root/b, root/c");
    expect(started).toBe(0);
    expect(await codeOf(o.orchestrateComplexTask({ description: "x", strategy: "nope" }))).toBe(
      "ECHELON_STRATEGY_UNKNOWN",
    );
    expect(() => o.getOrchestrationStatus("missing")).toThrow(
      expect.objectContaining({ code: "ECHELON_ORCHESTRATION_UNKNOWN" }),
    );
    await o.shutdown();
  });

  it("a pattern that returns a non-serialisable result fails with a coded error", async () => {
    const o = new HierarchicalOrchestrator({
      agents: [echo],
      plugins: [
        {
          name: "bad-pattern",
          version: "1.0.0",
          register: (ctx) =>
            ctx.registerPattern({
              name: "bad",
              ordering: "parallel",
              execute: async () => ({ result: { fn: () => 1 } }),
            }),
        },
      ],
    });
    const r = await o.orchestrateComplexTask({
      description: "x",
      pattern: "bad",
      children: [{ description: "y" }],
    });
    expect(r.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
    await o.shutdown();
  });

  it("assertJsonSerializable names the path of what is wrong", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const shared = { x: 1 };
    expect(() =>
      assertJsonSerializable({ ok: [1, "a", null, { d: new Date(0) }], s: [shared, shared] }, "v"),
    ).not.toThrow();
    for (const [value, path] of [
      [cyclic, "$.self"],
      [{ a: [1, 2, Number.NaN] }, "$.a[2]"],
      [{ a: 1n }, "$.a"],
      [{ a: Symbol("s") }, "$.a"],
      [new Set([1]), "$"],
    ] as const) {
      expect(() => assertJsonSerializable(value, "v")).toThrow(
        expect.objectContaining({
          code: "ECHELON_RESULT_NOT_SERIALIZABLE",
          details: expect.objectContaining({ path }),
        }),
      );
    }
  });
});

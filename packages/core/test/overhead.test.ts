import { describe, expect, it } from "vitest";
import { functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import { computeCoordinationOverhead, computeLowerBound, criticalPathMs } from "../src/metrics/overhead.js";
import { specToPlan } from "../src/plugin.js";
import { testPatterns, timer } from "./support/test-patterns.js";

describe("coordination overhead", () => {
  it("the formula: 100 × (wall − lowerBound) / wall, lower bound = max(critical path, busy / slots)", () => {
    expect(computeLowerBound(10, 10_000, 100)).toBe(100);
    expect(computeLowerBound(250, 10_000, 100)).toBe(250);
    expect(computeCoordinationOverhead(125, 100)).toBe(20);
    expect(computeCoordinationOverhead(100, 100)).toBe(0);
    expect(computeCoordinationOverhead(0, 0)).toBe(0);
    expect(computeCoordinationOverhead(99, 100)).toBe(0);
  });

  it("critical path follows the pattern orderings", () => {
    const plan = specToPlan(
      {
        id: "r",
        description: "root",
        pattern: "par",
        children: [
          {
            id: "s",
            description: "seq",
            pattern: "seq",
            children: [
              { id: "a", description: "a" },
              { id: "b", description: "b" },
            ],
          },
          {
            id: "d",
            description: "dag",
            pattern: "dag",
            children: [
              { id: "x", description: "x" },
              { id: "y", description: "y", dependsOn: ["x"] },
              { id: "z", description: "z" },
            ],
          },
        ],
      },
      { maxDepth: 2 },
    );
    const busy = new Map(
      Object.entries({ "r/s/a": 10, "r/s/b": 20, "r/d/x": 15, "r/d/y": 25, "r/d/z": 30 }).map(([k, v]) => [
        k,
        { maxMs: v, invocations: 1 },
      ]),
    );
    const ordering = (p: string) => (p === "seq" ? "sequential" : p === "dag" ? "dag" : "parallel") as never;
    expect(criticalPathMs(plan.root, busy, ordering)).toBe(40);
  });

  it("1,000 leaves × 10 ms on 100 slots: the lower bound is the measured busy time over 100 slots (≥ 100 ms)", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 100],
      agents: [
        functionAgent({}, async (_w, ctx) => {
          await timer(10, ctx.signal);
          return 1;
        }),
      ],
      plugins: [testPatterns()],
    });
    const r = await o.orchestrateComplexTask({
      description: "1,000 timers",
      pattern: "test-window-sum",
      children: Array.from({ length: 1000 }, (_, i) => ({ description: `t${i}`, input: 1 })),
    });
    expect(r.success).toBe(true);
    expect(r.result).toBe(1000);
    const m = r.metadata.metrics;
    expect(m.leafSlots).toBe(100);
    expect(m.peakConcurrency).toBe(100);
    expect(m.totalBusyMs).toBeGreaterThanOrEqual(10_000);
    expect(m.criticalPathMs).toBeGreaterThanOrEqual(10);
    expect(m.lowerBoundMs).toBeCloseTo(m.totalBusyMs / 100, 6);
    expect(m.lowerBoundMs).toBeGreaterThanOrEqual(100);
    expect(m.wallMs).toBeGreaterThanOrEqual(m.lowerBoundMs);
    expect(r.coordinationOverhead).toBeCloseTo((100 * (m.wallMs - m.lowerBoundMs)) / m.wallMs, 6);
    expect(r.executionTime).toBeCloseTo(m.wallMs / 1000, 6);
    expect(r.agentsUsed).toBe(101);
    expect(r.levelsDeep).toBe(2);
    await o.shutdown();
  });
});

describe("leaf slots", () => {
  it("count only the agent types that ran leaves, bounded by their maxInstances", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 10],
      agents: [
        functionAgent({ name: "limited", maxInstances: 2, capacity: 3, capabilities: ["x"] }, (w) => w.input),
        functionAgent({ name: "unused", capacity: 5, capabilities: ["y"] }, (w) => w.input),
      ],
      plugins: [testPatterns()],
    });
    const r = await o.orchestrateComplexTask({
      description: "x only",
      pattern: "test-parallel",
      children: Array.from({ length: 12 }, (_, i) => ({
        description: `t${i}`,
        input: i,
        capabilities: ["x"],
      })),
    });
    expect(r.success).toBe(true);
    expect(r.metadata.metrics.leafSlots).toBe(6);
    expect(r.metadata.metrics.peakConcurrency).toBeLessThanOrEqual(6);
    await o.shutdown();
  });
});

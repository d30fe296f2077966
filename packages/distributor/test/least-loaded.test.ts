import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { leastLoadedStrategy, WorkloadDistributor } from "../src/index.js";
import { load, request } from "./helpers.js";

const spread = (values: number[]): number => Math.max(...values) - Math.min(...values);

describe("leastLoadedStrategy", () => {
  it("picks the lowest in-flight / capacity ratio", () => {
    const strategy = leastLoadedStrategy();
    const candidates = [
      load("a", { inFlight: 2, capacity: 4 }),
      load("b", { inFlight: 1, capacity: 4 }),
      load("c", { inFlight: 1, capacity: 2 }),
    ];
    expect(strategy.select(request(), candidates)).toBe(1);
  });

  it("breaks ties by fewer completed tasks, then by position", () => {
    const strategy = leastLoadedStrategy();
    expect(strategy.select(request(), [load("a", { completed: 3 }), load("b", { completed: 1 })])).toBe(1);
    expect(strategy.select(request(), [load("a"), load("b")])).toBe(0);
  });

  it("keeps max − min load ≤ 1 on uniform work (property)", () => {
    // Uniform work: every task takes the same time, so tasks finish in the order they started.
    const op = fc.oneof(fc.constant("assign" as const), fc.constant("finish" as const));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(op, { minLength: 1, maxLength: 200 }),
        (n, ops) => {
          const distributor = new WorkloadDistributor({ strategy: "least-loaded" });
          for (let i = 0; i < n; i++) distributor.registerAgent({ agentId: `agent-${i}`, capacity: 1000 });
          const running: string[] = [];
          for (const step of ops) {
            if (step === "assign") running.push(distributor.assign({}));
            else if (running.length > 0) distributor.complete(running.shift()!, 10);
            const loads = distributor.loads();
            expect(spread(loads.map((l) => l.inFlight))).toBeLessThanOrEqual(1);
            expect(spread(loads.map((l) => l.inFlight + l.completed))).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });

  it("fills agents in proportion to capacity", () => {
    const distributor = new WorkloadDistributor({ strategy: "least-loaded" });
    distributor.registerAgent({ agentId: "big", capacity: 4 });
    distributor.registerAgent({ agentId: "small", capacity: 1 });
    for (let i = 0; i < 5; i++) distributor.assign({});
    expect(distributor.loads().map((l) => [l.agentId, l.inFlight])).toEqual([
      ["big", 4],
      ["small", 1],
    ]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { roundRobinStrategy, WorkloadDistributor } from "../src/index.js";
import { load, request } from "./helpers.js";

describe("roundRobinStrategy", () => {
  it("serves a fixed set of agents in turn, in candidate order", () => {
    const strategy = roundRobinStrategy();
    const candidates = ["c", "a", "b"].map((id) => load(id));
    const chosen = Array.from(
      { length: 7 },
      () => candidates[strategy.select(request(), candidates)]!.agentId,
    );
    expect(chosen).toEqual(["c", "a", "b", "c", "a", "b", "c"]);
  });

  it("spreads k·n tasks over n agents exactly k each (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 20 }), (n, k) => {
        const distributor = new WorkloadDistributor({ strategy: "round-robin" });
        for (let i = 0; i < n; i++) distributor.registerAgent({ agentId: `agent-${i}`, capacity: k });
        for (let t = 0; t < n * k; t++) distributor.assign({});
        const counts = distributor.loads().map((l) => l.inFlight);
        expect(counts).toEqual(Array.from({ length: n }, () => k));
      }),
    );
  });

  it("skips a busy agent without shifting the others' turns", () => {
    const strategy = roundRobinStrategy();
    const all = [load("a"), load("b"), load("c")];
    expect(all[strategy.select(request(), all)]!.agentId).toBe("a");
    const withoutB = [all[0]!, all[2]!];
    expect(withoutB[strategy.select(request(), withoutB)]!.agentId).toBe("c");
    expect(all[strategy.select(request(), all)]!.agentId).toBe("a");
    expect(all[strategy.select(request(), all)]!.agentId).toBe("b");
  });

  it("keeps separate turns per instance", () => {
    const one = roundRobinStrategy();
    const two = roundRobinStrategy();
    const candidates = [load("a"), load("b")];
    expect(one.select(request(), candidates)).toBe(0);
    expect(one.select(request(), candidates)).toBe(1);
    expect(two.select(request(), candidates)).toBe(0);
  });
});

import { isEchelonError } from "@echelon/core";
import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { distributionStrategies, WorkloadDistributor } from "../src/index.js";
import { load, pluginContext, request } from "./helpers.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isEchelonError(error) ? error.code : `not an EchelonError: ${String(error)}`;
  }
  return undefined;
}

/** A third-party strategy: the candidate that has been busy the least time so far. */
const leastBusyTime: DistributionStrategy = {
  name: "least-busy-time",
  select(_task: TaskRequest, candidates: readonly AgentLoad[]): number {
    let best = 0;
    for (let i = 1; i < candidates.length; i++)
      if (candidates[i]!.busyMs < candidates[best]!.busyMs) best = i;
    return best;
  },
};

describe("WorkloadDistributor", () => {
  it("tracks in-flight, completed and busy time", () => {
    const distributor = new WorkloadDistributor();
    distributor.registerAgent({ agentId: "a", capacity: 2, capabilities: ["x"] });
    const id = distributor.assign({ capabilities: ["x"] });
    expect(distributor.loads()[0]).toMatchObject({ agentId: "a", inFlight: 1, completed: 0 });
    distributor.complete(id, 25);
    expect(distributor.loads()[0]).toMatchObject({ inFlight: 0, completed: 1, busyMs: 25 });
  });

  it("returns null from tryAssign and throws ECHELON_DISTRIBUTOR_SATURATED from assign when all are busy", () => {
    const distributor = new WorkloadDistributor();
    distributor.registerAgent({ agentId: "a" });
    expect(distributor.tryAssign({})).toBe("a");
    expect(distributor.tryAssign({})).toBeNull();
    expect(codeOf(() => distributor.assign({}))).toBe("ECHELON_DISTRIBUTOR_SATURATED");
  });

  it("only considers agents of the task's level when it names one", () => {
    const distributor = new WorkloadDistributor();
    distributor.registerAgent({ agentId: "p", level: "primary", capacity: 5 });
    distributor.registerAgent({ agentId: "s", level: "secondary", capacity: 5 });
    expect(distributor.assign({ level: "secondary" })).toBe("s");
    expect(codeOf(() => distributor.assign({ level: "tertiary" }))).toBe("ECHELON_AGENT_NO_CAPABILITY");
  });

  it("rejects bad registrations and completions with coded errors", () => {
    const distributor = new WorkloadDistributor();
    distributor.registerAgent({ agentId: "a" });
    expect(codeOf(() => distributor.registerAgent({ agentId: "a" }))).toBe(
      "ECHELON_DISTRIBUTOR_DUPLICATE_AGENT",
    );
    expect(codeOf(() => distributor.registerAgent({ agentId: "b", capacity: 0 }))).toBe(
      "ECHELON_CONFIG_INVALID",
    );
    expect(codeOf(() => distributor.complete("a"))).toBe("ECHELON_CONFIG_INVALID");
    expect(codeOf(() => distributor.complete("nobody"))).toBe("ECHELON_AGENT_TYPE_UNKNOWN");
    expect(distributor.unregisterAgent("a")).toBe(true);
    expect(codeOf(() => distributor.assign({}))).toBe("ECHELON_AGENT_NO_CAPABILITY");
  });

  it("rejects an unknown strategy name with ECHELON_STRATEGY_UNKNOWN", () => {
    expect(codeOf(() => new WorkloadDistributor({ strategy: "fastest" }))).toBe("ECHELON_STRATEGY_UNKNOWN");
    const distributor = new WorkloadDistributor();
    distributor.registerAgent({ agentId: "a" });
    expect(codeOf(() => distributor.assign({ strategy: "fastest" }))).toBe("ECHELON_STRATEGY_UNKNOWN");
  });

  it("uses a per-task strategy override", () => {
    const distributor = new WorkloadDistributor({ strategy: "least-loaded" });
    distributor.registerAgent({ agentId: "generalist", capabilities: ["a", "b", "c"], capacity: 4 });
    distributor.registerAgent({ agentId: "specialist", capabilities: ["a"], capacity: 4 });
    distributor.assign({ capabilities: ["a"] });
    expect(distributor.assign({ capabilities: ["a"], strategy: "capability" })).toBe("specialist");
    expect(distributor.assign({ capabilities: ["a"], priority: 3, strategy: "priority" })).toBe("generalist");
  });

  it("registers and uses a third-party strategy", () => {
    const distributor = new WorkloadDistributor({ strategies: [leastBusyTime], strategy: "least-busy-time" });
    expect(distributor.strategyNames).toEqual([
      "round-robin",
      "least-loaded",
      "capability",
      "priority",
      "least-busy-time",
    ]);
    for (const id of ["a", "b", "c"]) distributor.registerAgent({ agentId: id, capacity: 10 });
    distributor.complete(distributor.assign({}), 50); // a: 50 ms
    distributor.complete(distributor.assign({}), 10); // b: 10 ms
    distributor.complete(distributor.assign({}), 30); // c: 30 ms
    expect(distributor.assign({})).toBe("b");
    expect(codeOf(() => distributor.use(leastBusyTime))).toBe("ECHELON_DISTRIBUTOR_DUPLICATE_STRATEGY");
  });

  it("rejects a strategy that returns a bad index with ECHELON_DISTRIBUTOR_INVALID_CHOICE", () => {
    const broken: DistributionStrategy = { name: "broken", select: () => 7 };
    const distributor = new WorkloadDistributor({ strategy: broken });
    distributor.registerAgent({ agentId: "a" });
    expect(codeOf(() => distributor.assign({}))).toBe("ECHELON_DISTRIBUTOR_INVALID_CHOICE");
    expect(codeOf(() => distributor.select(request(), [load("a")]))).toBe(
      "ECHELON_DISTRIBUTOR_INVALID_CHOICE",
    );
  });

  it("delegates select and nextWaiting to its strategy", () => {
    const distributor = new WorkloadDistributor({ strategy: "priority" });
    const candidates = [load("a", { capabilities: ["x"] }), load("b", { capabilities: ["x", "y"] })];
    expect(distributor.select(request({ priority: 9 }), candidates)).toBe(1);
    expect(distributor.select(request({ priority: 9 }), candidates, "capability")).toBe(0);
    const waiting = [request({ priority: 0, enqueuedAt: 0 }), request({ priority: 1, enqueuedAt: 0 })];
    expect(distributor.nextWaiting(waiting, 0)).toBe(1);
    expect(new WorkloadDistributor({ strategy: "round-robin" }).nextWaiting(waiting, 0)).toBe(0);
  });
});

describe("distributionStrategies plugin", () => {
  it("registers the four built-in strategies under DISTRIBUTION_STRATEGY", () => {
    const plugin = distributionStrategies();
    expect(plugin.name).toBe("@echelon/distributor");
    const { context, strategies } = pluginContext();
    plugin.register(context);
    expect(strategies().map((s) => s.name)).toEqual([
      "round-robin",
      "least-loaded",
      "capability",
      "priority",
    ]);
  });

  it("registers a subset and passes options through", () => {
    const { context, strategies } = pluginContext();
    distributionStrategies({ only: ["priority"], priority: { agingMs: 10 } }).register(context);
    const [priority] = strategies();
    expect(strategies()).toHaveLength(1);
    const waiting = [request({ priority: 0, enqueuedAt: 0 }), request({ priority: 1, enqueuedAt: 100 })];
    // agingMs 10: at 100 the old task has effective priority 10 against 1.
    expect(priority!.nextWaiting!(waiting, 100)).toBe(0);
  });
});

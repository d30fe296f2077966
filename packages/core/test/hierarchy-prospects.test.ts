import { describe, expect, it } from "vitest";
import type { Agent, AgentType } from "../src/agents/agent.js";
import type { AgentLoad, DistributionStrategy } from "../src/distribution/strategy.js";
import { EventBus } from "../src/events/event-bus.js";
import { AgentHierarchy } from "../src/hierarchy/agent-hierarchy.js";
import type { LeaseRequest } from "../src/hierarchy/level-pool.js";
import { silentLogger } from "../src/util/logger.js";

function agentOf(id: string, type: string): Agent {
  return { id, type, capabilities: [], capacity: 1, execute: async () => null };
}

function singleType(name: string, spawn?: (id: string) => Agent | Promise<Agent>): AgentType {
  return {
    name,
    capabilities: [],
    capacity: 1,
    maxInstances: 1,
    spawn: spawn ?? ((id) => agentOf(id, name)),
  };
}

/** A strategy that takes the first candidate and remembers the ids it was offered. */
function firstOffered(offers: string[][]): DistributionStrategy {
  return {
    name: "first",
    select(_task, candidates: readonly AgentLoad[]) {
      offers.push(candidates.map((c) => c.agentId));
      return 0;
    },
  };
}

function request(strategy: DistributionStrategy, signal = new AbortController().signal): LeaseRequest {
  return {
    role: "worker",
    task: {
      orchestrationId: "o",
      taskId: "t",
      nodePath: "t",
      level: "primary",
      capabilities: [],
      priority: 0,
      enqueuedAt: 0,
      metadata: {},
    },
    strategy: { value: strategy, plugin: null },
    signal,
  };
}

function hierarchyOf(types: AgentType[], cap = 10): AgentHierarchy {
  return new AgentHierarchy({
    levels: ["primary"],
    caps: [cap],
    agentTypes: types,
    coordinatorCapacity: 1,
    events: new EventBus(silentLogger),
    logger: silentLogger,
  });
}

describe("spawning for a lease", () => {
  it("grants an agent its type makes synchronously at once (no promise)", async () => {
    const hierarchy = hierarchyOf([singleType("a")]);
    const leased = hierarchy.pool(0).lease(request(firstOffered([])));
    expect(leased).not.toBeInstanceOf(Promise);
    expect((leased as { agentId: string }).agentId).toBe("a#1");
    await hierarchy.shutdown(100);
  });

  it("frees the slot and offers the type again when spawn throws or makes an agent of no capacity", async () => {
    let calls = 0;
    const flaky = singleType("a", (id) => {
      calls++;
      if (calls === 1) throw new Error("boom");
      if (calls === 2) return { ...agentOf(id, "a"), capacity: 0 };
      return agentOf(id, "a");
    });
    const hierarchy = hierarchyOf([flaky], 1);
    const pool = hierarchy.pool(0);
    const strategy = firstOffered([]);
    await expect(Promise.resolve(pool.lease(request(strategy)))).rejects.toMatchObject({
      code: "ECHELON_TASK_FAILED",
      message: expect.stringContaining("boom"),
    });
    expect(pool.live).toBe(0);
    await expect(Promise.resolve(pool.lease(request(strategy)))).rejects.toMatchObject({
      code: "ECHELON_CONFIG_INVALID",
    });
    expect(pool.live).toBe(0);
    const agent = await pool.lease(request(strategy));
    expect(agent.agentId).toBe("a#3");
    expect(pool.live).toBe(1);
    await hierarchy.shutdown(100);
  });

  it("rejects a requester that gives up while its agent spawns, and gives the late agent to the next one", async () => {
    let arrive: (agent: Agent) => void = () => {};
    const slow = singleType(
      "a",
      (id) => new Promise<Agent>((resolve) => (arrive = () => resolve(agentOf(id, "a")))),
    );
    const hierarchy = hierarchyOf([slow], 1);
    const pool = hierarchy.pool(0);
    const strategy = firstOffered([]);
    const controller = new AbortController();
    const first = Promise.resolve(pool.lease(request(strategy, controller.signal)));
    const next = Promise.resolve(pool.lease(request(strategy)));
    controller.abort();
    await expect(first).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
    arrive(agentOf("x", "a"));
    expect((await next).agentId).toBe("a#1");
    expect(pool.live).toBe(1);
    await hierarchy.shutdown(100);
  });
});

describe("prospects of single-instance agent types", () => {
  it("skip a type while its only instance spawns, and offer it again (with its next id) once that spawn failed", async () => {
    let failFirst: (error: Error) => void = () => {};
    let aSpawns = 0;
    const a = singleType("a", (id) => {
      aSpawns++;
      if (aSpawns > 1) return agentOf(id, "a");
      return new Promise<Agent>((_resolve, reject) => {
        failFirst = reject;
      });
    });
    const hierarchy = new AgentHierarchy({
      levels: ["primary"],
      caps: [10],
      agentTypes: [a, singleType("b"), singleType("c")],
      coordinatorCapacity: 1,
      events: new EventBus(silentLogger),
      logger: silentLogger,
    });
    const pool = hierarchy.pool(0);
    const offers: string[][] = [];
    const strategy = firstOffered(offers);

    const first = Promise.resolve(pool.lease(request(strategy)));
    const failed = expect(first).rejects.toMatchObject({ code: "ECHELON_TASK_FAILED" });
    const second = await pool.lease(request(strategy));
    expect(second.agentId).toBe("b#1");
    await Promise.resolve();
    failFirst(new Error("no room"));
    await failed;
    const third = await pool.lease(request(strategy));
    expect(third.agentId).toBe("a#2");
    expect(offers).toEqual([
      ["a#1", "b#1", "c#1"],
      ["b#1", "c#1"],
      ["a#2", "c#1"],
    ]);
    await hierarchy.shutdown(100);
  });
});

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

function request(strategy: DistributionStrategy): LeaseRequest {
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
    signal: new AbortController().signal,
  };
}

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

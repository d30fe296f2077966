import { isEchelonError } from "@echelon/core";
import type { TaskRequest } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { effectivePriority, priorityStrategy } from "../src/index.js";
import { load, request } from "./helpers.js";

describe("priorityStrategy.select", () => {
  const candidates = [
    load("small", { capabilities: ["coding"] }),
    load("large", { capabilities: ["coding", "testing", "review"] }),
    load("medium", { capabilities: ["coding", "testing"] }),
  ];

  it("sends high-priority work to the most capable agent", () => {
    expect(priorityStrategy().select(request({ priority: 2 }), candidates)).toBe(1);
  });

  it("sends complex work to the most capable agent", () => {
    const task = request({ priority: 0, metadata: { complexity: "complex" } });
    expect(priorityStrategy().select(task, candidates)).toBe(1);
  });

  it("keeps ordinary work on the least capable agent", () => {
    expect(
      priorityStrategy().select(request({ priority: 0, metadata: { complexity: "atomic" } }), candidates),
    ).toBe(0);
  });

  it("uses an explicit rank table and breaks ties by load", () => {
    const strategy = priorityStrategy({ rank: { gpu: 10, cpu: 1 } });
    const ranked = [
      load("cpu-1", { agentType: "cpu" }),
      load("gpu-1", { agentType: "gpu", inFlight: 1, capacity: 2 }),
      load("gpu-2", { agentType: "gpu" }),
    ];
    expect(strategy.select(request({ priority: 5 }), ranked)).toBe(2);
  });

  it("rejects a non-positive agingMs with ECHELON_CONFIG_INVALID", () => {
    let caught: unknown;
    try {
      priorityStrategy({ agingMs: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isEchelonError(caught, "ECHELON_CONFIG_INVALID")).toBe(true);
  });
});

describe("priorityStrategy.nextWaiting (aging)", () => {
  it("serves the highest effective priority, oldest first on ties", () => {
    const strategy = priorityStrategy({ agingMs: 100 });
    const waiting = [
      request({ taskId: "old-low", priority: 0, enqueuedAt: 0 }),
      request({ taskId: "new-high", priority: 3, enqueuedAt: 250 }),
      request({ taskId: "newer-high", priority: 3, enqueuedAt: 260 }),
    ];
    // At 300: old-low = 0 + 3 = 3, new-high = 3 + 0.5 = 3.5.
    expect(strategy.nextWaiting!(waiting, 300)).toBe(1);
    // At 1,000: old-low = 10, new-high = 10.5 → still high; at 5,000 the old one wins.
    expect(strategy.nextWaiting!(waiting, 1000)).toBe(1);
    expect(effectivePriority(waiting[0]!, 5000, 100)).toBe(50);
    const equal = [
      request({ taskId: "a", priority: 1, enqueuedAt: 5 }),
      request({ taskId: "b", priority: 1, enqueuedAt: 5 }),
    ];
    expect(strategy.nextWaiting!(equal, 10)).toBe(0);
  });

  /**
   * One slot frees every `tickMs`; `arrivals` high-priority tasks arrive every tick, for ever.
   * A low-priority task waits from time 0. Returns the tick at which it is served, or null.
   */
  function simulate(agingMs: number, arrivals: number, ticks: number): number | null {
    const strategy = priorityStrategy({ agingMs });
    const tickMs = 10;
    const waiting: TaskRequest[] = [request({ taskId: "low", priority: 0, enqueuedAt: 0 })];
    let serial = 0;
    for (let tick = 1; tick <= ticks; tick++) {
      const now = tick * tickMs;
      for (let a = 0; a < arrivals; a++) {
        waiting.push(request({ taskId: `high-${serial++}`, priority: 5, enqueuedAt: now }));
      }
      const index = strategy.nextWaiting!(waiting, now);
      const [served] = waiting.splice(index, 1);
      if (served!.taskId === "low") return tick;
    }
    return null;
  }

  it("serves low-priority work under a steady stream of high-priority work", () => {
    // Stream as fast as the service: low (0) catches up with a fresh high (5) after waiting
    // 5 × agingMs = 100 ms, i.e. at tick 10, and wins the tie as the oldest.
    expect(simulate(20, 1, 10_000)).toBe(10);
    // Stream twice as fast as the service: the queue of high work grows, yet low is served.
    const served = simulate(20, 2, 10_000);
    expect(served).not.toBeNull();
    expect(served!).toBeLessThanOrEqual(25);
  });

  it("would starve low-priority work without meaningful aging (the scenario can fail)", () => {
    expect(simulate(1e12, 2, 2_000)).toBeNull();
  });
});

import { EventBus, functionAgent, isEchelonError } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { createMonitor, MONITOR, type Monitor, monitoringPlugin } from "../src/index.js";
import { quantile, RingBuffer } from "../src/ring-buffer.js";
import { TrendBuckets } from "../src/trends.js";
import { forkSpec, hasher, makeOrchestrator, openEndedHasher, until } from "./support.js";

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});
const track = (m: Monitor): Monitor => {
  open.push(m);
  return m;
};

const workersOf = (m: Monitor): string[] =>
  m
    .snapshot()
    .agents.filter((a) => a.agentType === "hasher")
    .map((a) => a.agentId);

describe("createMonitor on a real orchestrator", () => {
  it("records overhead exactly as the result reports it, with utilisation and throughput", async () => {
    const orchestrator = makeOrchestrator([hasher(3_000, 2)], { maxAgentsPerLevel: [1, 2] });
    const monitor = track(createMonitor({ orchestrator }));
    const result = await orchestrator.orchestrateComplexTask(forkSpec(6), { orchestrationId: "run-1" });
    expect(result.success).toBe(true);

    const [record] = monitor.history();
    expect(record?.orchestrationId).toBe("run-1");
    expect(record?.coordinationOverhead).toBe(result.coordinationOverhead);
    expect(record?.metrics).toEqual(result.metadata.metrics);
    const m = result.metadata.metrics;
    expect(record?.utilisation).toBeCloseTo(m.totalBusyMs / (m.wallMs * m.leafSlots), 10);
    expect(record?.throughputPerSec).toBeCloseTo((6 * 1000) / m.wallMs, 6);
    // Leaf busy time of this orchestration (event spans), by level and by agent: the same total.
    expect(Object.keys(record?.busyMsByLevel ?? {})).toEqual(["secondary"]);
    expect(record?.busyMsByLevel.secondary).toBeGreaterThan(0);
    const byAgent = Object.values(record?.busyMsByAgent ?? {}).reduce((a, b) => a + b, 0);
    expect(byAgent).toBeCloseTo(record?.busyMsByLevel.secondary ?? -1, 6);
    expect(Object.keys(record?.busyMsByAgent ?? {}).every((id) => workersOf(monitor).includes(id))).toBe(
      true,
    );

    const snap = monitor.snapshot();
    expect(snap.totals.tasksCompleted).toBe(6);
    expect(snap.rolling.tasksCompleted).toBe(6);
    expect(snap.rolling.meanCoordinationOverhead).toBeCloseTo(result.coordinationOverhead, 10);
    const workers = snap.agents.filter((a) => a.agentType === "hasher");
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.reduce((n, a) => n + a.tasks, 0)).toBe(6);
    for (const a of workers) {
      expect(a.capacity).toBe(2);
      expect(a.utilisation).toBeGreaterThan(0);
      expect(a.utilisation).toBeLessThanOrEqual(1);
    }
    const secondary = snap.levels.find((l) => l.level === "secondary");
    expect(secondary?.busyMs).toBeGreaterThan(0);
    expect(secondary?.utilisation).toBeGreaterThan(0);
    const pattern = snap.patterns.find((p) => p.pattern === "test-parallel");
    expect(pattern).toMatchObject({ executions: 1, completed: 1, failed: 0, successRate: 1 });
    expect(pattern?.p50Ms).toBeGreaterThan(0);
    const trendTotal = monitor.trends().reduce((n, p) => n + p.tasksCompleted, 0);
    expect(trendTotal).toBe(6);
  });

  it("enriches status with the whole tree, progress, current patterns and an ETA while running", async () => {
    const work = openEndedHasher();
    const quick = functionAgent(
      { name: "quick", capabilities: ["quick"], capacity: 1 },
      (w) => `done ${w.taskId}`,
    );
    const slow = functionAgent({ name: "slow", capabilities: ["slow"], capacity: 4 }, work.run);
    const orchestrator = makeOrchestrator([quick, slow]);
    const monitor = track(createMonitor({ orchestrator }));
    const running = orchestrator.orchestrateComplexTask(
      {
        id: "root",
        description: "mixed",
        pattern: "test-parallel",
        children: [
          { id: "fast", description: "fast one", capabilities: ["quick"] },
          { id: "long1", description: "long one", capabilities: ["slow"], input: "a" },
          { id: "long2", description: "long two", capabilities: ["slow"], input: "b" },
        ],
      },
      { orchestrationId: "live" },
    );
    await until(
      () => monitor.getNodeStatus("live", "root/fast")?.state === "completed",
      "fast leaf completed",
    );
    await until(() => monitor.getNodeStatus("live", "root/long2")?.state === "running", "long leaf running");
    const live = monitor.getOrchestrationStatus("live");
    expect(live.state).toBe("running");
    expect(live.currentPatterns).toEqual([{ path: "root", pattern: "test-parallel" }]);
    expect(live.progress).toBeGreaterThan(0);
    expect(live.progress).toBeLessThan(100);
    expect(live.etaMs).toBeGreaterThan(0);
    expect(live.tree?.children.map((c) => [c.id, c.state])).toEqual([
      ["fast", "completed"],
      ["long1", "running"],
      ["long2", "running"],
    ]);
    work.release();
    const result = await running;
    expect(result.success).toBe(true);
    const done = monitor.getOrchestrationStatus("live");
    expect(done).toMatchObject({ state: "completed", progress: 100, etaMs: 0, currentPatterns: [] });
    expect(
      done.tree?.children.every((c) => c.state === "completed" && c.agentId !== null && c.attempts === 1),
    ).toBe(true);
  });

  it("reports queue depth while tasks wait for a busy agent, and zero once drained", async () => {
    const work = openEndedHasher();
    const single = functionAgent({ name: "single", capacity: 1, maxInstances: 1 }, work.run);
    const orchestrator = makeOrchestrator([single]);
    const monitor = track(createMonitor({ orchestrator }));
    const running = orchestrator.orchestrateComplexTask(forkSpec(3), { orchestrationId: "queue" });
    await until(() => monitor.snapshot().queueDepth === 2, "two tasks queued behind the busy agent");
    expect(monitor.getOrchestrationStatus("queue").queueDepth).toBe(2);
    expect(monitor.trends().some((p) => p.maxQueueDepth === 2)).toBe(true);
    work.release();
    expect((await running).success).toBe(true);
    expect(monitor.snapshot().queueDepth).toBe(0);
  });

  it("counts retries and failed patterns", async () => {
    const failedOnce = new Set<string>();
    const flaky = functionAgent({ name: "flaky", capacity: 2 }, (w) => {
      if (w.taskId === "bad") throw new Error("always broken");
      if (!failedOnce.has(w.taskId)) {
        failedOnce.add(w.taskId);
        throw new Error("first attempt fails");
      }
      return w.taskId;
    });
    const orchestrator = makeOrchestrator([flaky]);
    const monitor = track(createMonitor({ orchestrator }));
    const ok = await orchestrator.orchestrateComplexTask({
      description: "retry",
      pattern: "test-parallel",
      children: [
        { id: "a", description: "a", retry: { attempts: 2, backoffMs: 0 } },
        { id: "b", description: "b", retry: { attempts: 2, backoffMs: 0 } },
      ],
    });
    expect(ok.success).toBe(true);
    const bad = await orchestrator.orchestrateComplexTask({
      description: "fails",
      pattern: "test-parallel",
      children: [{ id: "bad", description: "bad" }],
    });
    expect(bad.success).toBe(false);
    const snap = monitor.snapshot();
    expect(snap.totals.retries).toBe(2);
    expect(monitor.history().map((h) => [h.retries, h.state])).toEqual([
      [2, "completed"],
      [0, "failed"],
    ]);
    const p = snap.patterns.find((x) => x.pattern === "test-parallel");
    expect(p).toMatchObject({ executions: 2, completed: 1, failed: 1, successRate: 0.5 });
    expect(monitor.history()[1]?.errorCode).toBe(bad.error?.code);
  });

  it("follows compensations: counts them and marks the undone nodes compensated", async () => {
    const ledger = new Map<string, number>();
    const bank = functionAgent({ name: "bank", capacity: 1 }, (w) => {
      if (w.taskId === "ship") throw new Error("carrier refused the parcel");
      if (w.taskId.endsWith("undo") || w.description.startsWith("undo")) {
        ledger.delete(String((w.input as { input: unknown }).input));
        return "undone";
      }
      ledger.set(w.taskId, 1);
      return w.taskId;
    });
    const orchestrator = makeOrchestrator([bank]);
    const monitor = track(createMonitor({ orchestrator }));
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "order",
        description: "place an order",
        pattern: "test-saga",
        children: [
          {
            id: "charge",
            description: "charge",
            compensate: { description: "undo charge", input: "charge" },
          },
          {
            id: "reserve",
            description: "reserve",
            compensate: { description: "undo reserve", input: "reserve" },
          },
          { id: "ship", description: "ship" },
        ],
      },
      { orchestrationId: "saga" },
    );
    expect(result.success).toBe(false);
    expect(ledger.size).toBe(0);
    const status = monitor.getOrchestrationStatus("saga");
    expect(status.compensations).toBe(2);
    expect(status.tree?.children.map((c) => [c.id, c.state])).toEqual([
      ["charge", "compensated"],
      ["reserve", "compensated"],
      ["ship", "failed"],
    ]);
    expect(monitor.snapshot().totals.compensations).toBe(2);
    expect(monitor.history()[0]?.compensatedTasks).toBe(result.metadata.compensatedTasks);
    expect(monitor.trends().reduce((n, p) => n + p.compensations, 0)).toBe(2);
  });

  it("keeps a bounded history and forgets evicted orchestrations", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const monitor = track(createMonitor({ events: orchestrator.events, historySize: 2 }));
    for (const id of ["h1", "h2", "h3"])
      await orchestrator.orchestrateComplexTask(forkSpec(2), { orchestrationId: id });
    expect(monitor.history().map((h) => h.orchestrationId)).toEqual(["h2", "h3"]);
    expect(monitor.listOrchestrations().map((o) => o.orchestrationId)).toEqual(["h2", "h3"]);
    expect(monitor.getOrchestrationStatus("h3").tree?.children).toHaveLength(2);
    let code = "";
    try {
      monitor.getOrchestrationStatus("h1");
    } catch (e) {
      if (isEchelonError(e)) code = e.code;
    }
    expect(code).toBe("ECHELON_ORCHESTRATION_UNKNOWN");
  });

  it("rejects bad options with a coded error", () => {
    const bus = new EventBus();
    const codeOf = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return isEchelonError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(codeOf(() => createMonitor({}))).toBe("ECHELON_MONITORING_INVALID_OPTIONS");
    expect(codeOf(() => createMonitor({ events: bus, historySize: 0 }))).toBe(
      "ECHELON_MONITORING_INVALID_OPTIONS",
    );
    expect(codeOf(() => createMonitor({ events: bus, windowMs: 1.5 }))).toBe(
      "ECHELON_MONITORING_INVALID_OPTIONS",
    );
  });
});

describe("building blocks", () => {
  it("the ring keeps the newest items in order", () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.last(2)).toEqual([4, 5]);
  });

  it("trend buckets spread busy spans, fill gaps, keep only the newest buckets and sum a window", () => {
    const t = new TrendBuckets(100, 5);
    t.busy("secondary", 50, 260);
    t.count(120, "tasksCompleted", 3);
    t.orchestrationFinished(130, 40);
    t.orchestrationFinished(180, 20);
    const points = t.points(0, 399);
    expect(points.map((p) => p.start)).toEqual([0, 100, 200, 300]);
    expect(points.map((p) => p.busyMsByLevel.secondary ?? 0)).toEqual([50, 100, 60, 0]);
    expect(points[1]).toMatchObject({
      tasksCompleted: 3,
      throughputPerSec: 30,
      meanCoordinationOverhead: 30,
    });
    expect(t.busyByLevel(100, 299)).toEqual({ secondary: 160 });
    expect(t.rolling(299, 200)).toMatchObject({
      tasksCompleted: 3,
      orchestrationsFinished: 2,
      meanCoordinationOverhead: 30,
    });
    t.count(1_000, "retries");
    expect(t.points(0, 1_000).map((p) => p.start)).toEqual([600, 700, 800, 900, 1_000]);
  });

  it("quantiles interpolate between ranks", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10, 1, 5], 0.5)).toBe(5);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(
      quantile(
        Array.from({ length: 101 }, (_, i) => i),
        0.95,
      ),
    ).toBe(95);
  });
});

describe("monitoringPlugin", () => {
  it("attaches a monitor and a Prometheus exporter, binds MONITOR, and detaches on shutdown", async () => {
    const plugin = monitoringPlugin({ historySize: 5, prometheus: true });
    const orchestrator = makeOrchestrator([hasher(10, 1)], { plugins: [plugin] });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(2), { orchestrationId: "plugged" });
    expect(
      plugin
        .monitor()
        .history()
        .map((h) => [h.orchestrationId, h.coordinationOverhead]),
    ).toEqual([["plugged", result.coordinationOverhead]]);
    expect(await plugin.prometheus()?.metrics()).toContain(
      'echelon_orchestrations_total{state="completed"} 1',
    );
    expect(orchestrator.container.get(MONITOR)).toBe(plugin.monitor());
    orchestrator.events.emit(
      "task:queued",
      { orchestrationId: "while-attached", nodePath: "x", ts: performance.now() },
      { taskId: "x", kind: "leaf", level: "primary" },
    );
    expect(plugin.monitor().listOrchestrations()).toHaveLength(2);
    await orchestrator.shutdown();
    orchestrator.events.emit(
      "task:queued",
      { orchestrationId: "after-shutdown", nodePath: "x", ts: performance.now() },
      { taskId: "x", kind: "leaf", level: "primary" },
    );
    expect(
      plugin
        .monitor()
        .listOrchestrations()
        .map((o) => o.orchestrationId),
    ).toEqual(["plugged", "while-attached"]);
  });

  it("says when the monitor is asked for before registration", () => {
    const plugin = monitoringPlugin();
    expect(() => plugin.monitor()).toThrow(/pass the plugin to an orchestrator/);
  });
});

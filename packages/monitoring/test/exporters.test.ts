import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { functionAgent, isEchelonError } from "@echelon/core";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { attachExporter, createOtelExporter, createPrometheusExporter } from "../src/index.js";
import { forkSpec, hasher, makeOrchestrator } from "./support.js";

describe("Prometheus exporter", () => {
  it("counts tasks and patterns labelled by pattern, level and agent type, and serves them over HTTP", async () => {
    const orchestrator = makeOrchestrator([hasher(200, 2)]);
    const prom = createPrometheusExporter({ orchestrator });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(4));
    expect(result.success).toBe(true);
    const text = await prom.metrics();
    expect(text).toContain(
      'echelon_tasks_total{kind="leaf",pattern="test-parallel",level="secondary",agent_type="hasher",outcome="completed"} 4',
    );
    expect(text).toContain(
      'echelon_pattern_executions_total{pattern="test-parallel",level="primary",status="completed"} 1',
    );
    expect(text).toContain(
      'echelon_task_duration_seconds_count{kind="leaf",pattern="test-parallel",level="secondary",agent_type="hasher"} 4',
    );
    expect(text).toContain("echelon_coordination_overhead_percent_count 1");
    expect(text).toContain(`echelon_coordination_overhead_percent_sum ${result.coordinationOverhead}`);
    expect(text).toContain('echelon_orchestrations_total{state="completed"} 1');
    expect(text).toContain("echelon_orchestrations_running 0");

    const server = createServer(prom.metricsHandler());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(await res.text()).toContain("echelon_tasks_total");
    } finally {
      server.close();
      prom.close();
    }
  });

  it("merges into a user's registry and refuses a second copy of its metrics", async () => {
    const registry = new Registry();
    const mine = new Counter({ name: "my_app_requests_total", help: "mine", registers: [registry] });
    mine.inc(3);
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const prom = createPrometheusExporter({ orchestrator, registry });
    await orchestrator.orchestrateComplexTask(forkSpec(2));
    await prom.flush();
    const text = await registry.metrics();
    expect(text).toContain("my_app_requests_total 3");
    expect(text).toContain(
      'echelon_tasks_total{kind="leaf",pattern="test-parallel",level="secondary",agent_type="hasher",outcome="completed"} 2',
    );
    let code = "";
    try {
      createPrometheusExporter({ events: orchestrator.events, registry });
    } catch (e) {
      if (isEchelonError(e)) code = e.code;
    }
    expect(code).toBe("ECHELON_MONITORING_METRIC_CONFLICT");
    prom.close();
    expect(await registry.metrics()).not.toContain("echelon_tasks_total");
    const again = createPrometheusExporter({ events: orchestrator.events, registry });
    again.close();
  });
});

describe("OpenTelemetry exporter", () => {
  it("emits one span per plan node, nested like the tree, with pattern/level/agent/attempt", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const orchestrator = makeOrchestrator([hasher(50, 2)]);
    const otel = createOtelExporter({ orchestrator, tracerProvider: provider });
    const result = await orchestrator.orchestrateComplexTask(
      {
        id: "root",
        description: "nested",
        pattern: "test-parallel",
        children: [
          { id: "a", description: "a" },
          {
            id: "group",
            description: "group",
            pattern: "test-parallel",
            children: [{ id: "b", description: "b" }],
          },
        ],
      },
      { orchestrationId: "traced" },
    );
    expect(result.success).toBe(true);
    await otel.flush();
    const spans = memory.getFinishedSpans();
    const byPath = new Map<string, ReadableSpan>();
    for (const s of spans) {
      const p = s.attributes["echelon.node.path"];
      if (typeof p === "string") byPath.set(p, s);
    }
    expect([...byPath.keys()].sort()).toEqual(["root", "root/a", "root/group", "root/group/b"]);
    const orchestration = spans.find((s) => s.attributes["echelon.orchestration.id"] === "traced");
    expect(orchestration?.attributes["echelon.coordination_overhead"]).toBe(result.coordinationOverhead);
    const parentOf = (s: ReadableSpan | undefined) => s?.parentSpanContext?.spanId;
    expect(parentOf(byPath.get("root"))).toBe(orchestration?.spanContext().spanId);
    expect(parentOf(byPath.get("root/a"))).toBe(byPath.get("root")?.spanContext().spanId);
    expect(parentOf(byPath.get("root/group"))).toBe(byPath.get("root")?.spanContext().spanId);
    expect(parentOf(byPath.get("root/group/b"))).toBe(byPath.get("root/group")?.spanContext().spanId);
    const traceIds = new Set(spans.map((s) => s.spanContext().traceId));
    expect(traceIds.size).toBe(1);
    expect(byPath.get("root/group/b")?.attributes).toMatchObject({
      "echelon.pattern": "test-parallel",
      "echelon.level": "tertiary",
      "echelon.agent.type": "hasher",
      "echelon.attempt": 1,
      "echelon.kind": "leaf",
    });
    expect(byPath.get("root")?.attributes["echelon.kind"]).toBe("composite");
    otel.close();
  });

  it("a throwing span processor does not fail the orchestration", async () => {
    const throwing: SpanProcessor = {
      onStart: () => {
        throw new Error("processor broke on start");
      },
      onEnd: () => {
        throw new Error("processor broke on end");
      },
      forceFlush: async () => {},
      shutdown: async () => {},
    };
    const provider = new BasicTracerProvider({ spanProcessors: [throwing] });
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const otel = createOtelExporter({ orchestrator, tracerProvider: provider });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(3));
    expect(result.success).toBe(true);
    await otel.flush();
    otel.close();
  });
});

describe("exporters follow compensations", () => {
  it("counts compensations in Prometheus and traces them as child spans of the undone node", async () => {
    const agent = functionAgent({ name: "steps", capacity: 1 }, (w) => {
      if (w.taskId === "fail") throw new Error("step failed");
      return w.taskId;
    });
    const orchestrator = makeOrchestrator([agent]);
    const prom = createPrometheusExporter({ orchestrator });
    const memory = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
    const otel = createOtelExporter({ orchestrator, tracerProvider: provider });
    const result = await orchestrator.orchestrateComplexTask({
      id: "s",
      description: "saga",
      pattern: "test-saga",
      children: [
        { id: "one", description: "one", compensate: { description: "undo one" } },
        { id: "fail", description: "fail" },
      ],
    });
    expect(result.success).toBe(false);
    expect(await prom.metrics()).toContain(
      'echelon_compensations_total{pattern="test-saga",level="secondary"} 1',
    );
    await otel.flush();
    const spans = memory.getFinishedSpans();
    const one = spans.find((x) => x.attributes["echelon.node.path"] === "s/one");
    const undo = spans.find((x) => x.attributes["echelon.kind"] === "compensation");
    expect(undo?.parentSpanContext?.spanId).toBe(one?.spanContext().spanId);
    expect(undo?.attributes["echelon.compensates"]).toBe("s/one");
    prom.close();
    otel.close();
  });
});

describe("exporters never slow or fail an orchestration", () => {
  it("a throwing exporter is counted, the orchestration succeeds", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    const handle = attachExporter(orchestrator.events, {
      name: "broken",
      handle: () => {
        throw new Error("exporter is broken");
      },
    });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(3));
    expect(result.success).toBe(true);
    await handle.flush();
    expect(handle.failures).toBeGreaterThan(0);
    handle.close();
  });

  it("a slow exporter does not hold the orchestration back; it catches up afterwards", async () => {
    const orchestrator = makeOrchestrator([hasher(10, 1)]);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const handle = attachExporter(orchestrator.events, {
      name: "slow",
      handle: async (events) => {
        await gate;
        for (const e of events) seen.push(e.type);
      },
    });
    const result = await orchestrator.orchestrateComplexTask(forkSpec(3));
    expect(result.success).toBe(true);
    // The orchestration finished while the exporter was still stuck on its first batch.
    expect(seen).toEqual([]);
    release();
    await handle.flush();
    expect(seen[0]).toBe("orchestration:started");
    expect(seen).toContain("orchestration:completed");
    expect(seen.filter((t) => t === "task:completed")).toHaveLength(4);
    handle.close();
  });

  it("a bounded queue drops the oldest events when an exporter stalls", async () => {
    const agent = functionAgent({ name: "echo", capacity: 4 }, (w) => w.taskId);
    const orchestrator = makeOrchestrator([agent]);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handle = attachExporter(
      orchestrator.events,
      { name: "stalled", handle: () => gate },
      { maxQueue: 5 },
    );
    await orchestrator.orchestrateComplexTask(forkSpec(10));
    expect(handle.dropped).toBeGreaterThan(0);
    release();
    await handle.flush();
    handle.close();
  });
});

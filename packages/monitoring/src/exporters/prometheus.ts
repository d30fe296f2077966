import type { IncomingMessage, ServerResponse } from "node:http";
import { EchelonError, type EchelonEvent, type Logger } from "@echelon/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { MonitoringErrorCode } from "../errors.js";
import { type EventSourceOptions, resolveBus } from "../source.js";
import { attachExporter } from "./bridge.js";
import { PlanIndex } from "./plan-index.js";

/** Options of {@link createPrometheusExporter}. Give `orchestrator` or `events`. */
export interface PrometheusExporterOptions extends EventSourceOptions {
  /** Registry to register into (merge with your own metrics). Default: a new registry. */
  readonly registry?: Registry;
  /** Prefix of every metric name. Default `echelon_`. */
  readonly prefix?: string;
  /** Histogram buckets for durations, in seconds. */
  readonly durationBuckets?: readonly number[];
  /** Where exporter failures are logged. */
  readonly logger?: Logger;
}

/** A running Prometheus exporter. */
export interface PrometheusExporter {
  /** The registry holding Echelon's metrics. */
  readonly registry: Registry;
  /** The exposition text (after applying every event received so far). */
  metrics(): Promise<string>;
  /** A `node:http` request handler serving the exposition (`GET /metrics`). */
  metricsHandler(): (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves once every event received so far is counted. */
  flush(): Promise<void>;
  /** Detaches from the bus and removes the metrics from the registry. */
  close(): void;
}

const DEFAULT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const OVERHEAD_BUCKETS = [1, 2, 5, 10, 20, 30, 40, 50, 60, 75, 90, 100];

/**
 * Exposes Echelon's events as Prometheus metrics through prom-client: task, pattern and
 * orchestration counters and duration histograms labelled by pattern, level and agent type,
 * coordination overhead as reported by each result, and gauges for running orchestrations,
 * queued tasks and live agents. Updates run off the hot path (see {@link attachExporter}).
 *
 * @param options - source, registry, prefix
 * @returns the exporter; serve `metricsHandler()` or scrape your own registry
 * @throws EchelonError `ECHELON_MONITORING_METRIC_CONFLICT` when the registry already holds these metric names
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` when no source is given
 * @example
 * ```ts
 * const prom = createPrometheusExporter({ orchestrator });
 * http.createServer(prom.metricsHandler()).listen(9464, "127.0.0.1");
 * ```
 */
export function createPrometheusExporter(options: PrometheusExporterOptions): PrometheusExporter {
  const bus = resolveBus("createPrometheusExporter", options);
  const registry = options.registry ?? new Registry();
  const p = options.prefix ?? "echelon_";
  const buckets = [...(options.durationBuckets ?? DEFAULT_BUCKETS)];
  const names: string[] = [];
  const reg = <T>(make: () => T, name: string): T => {
    if (registry.getSingleMetric(name) !== undefined) {
      throw new EchelonError(
        MonitoringErrorCode.METRIC_CONFLICT,
        `Metric "${name}" is already registered in this registry. Close the other exporter first or give this one another "prefix".`,
        { details: { metric: name } },
      );
    }
    names.push(name);
    return make();
  };
  const registers = [registry];
  const tasks = reg(
    () =>
      new Counter({
        name: `${p}tasks_total`,
        help: "Task attempts that ended, by outcome.",
        labelNames: ["kind", "outcome", "pattern", "level", "agent_type"],
        registers,
      }),
    `${p}tasks_total`,
  );
  const taskDuration = reg(
    () =>
      new Histogram({
        name: `${p}task_duration_seconds`,
        help: "Duration of completed tasks.",
        labelNames: ["kind", "pattern", "level", "agent_type"],
        buckets,
        registers,
      }),
    `${p}task_duration_seconds`,
  );
  const retries = reg(
    () =>
      new Counter({
        name: `${p}task_retries_total`,
        help: "Task retries.",
        labelNames: ["pattern", "level", "agent_type"],
        registers,
      }),
    `${p}task_retries_total`,
  );
  const compensations = reg(
    () =>
      new Counter({
        name: `${p}compensations_total`,
        help: "Tasks undone by their compensation.",
        labelNames: ["pattern", "level"],
        registers,
      }),
    `${p}compensations_total`,
  );
  const patternRuns = reg(
    () =>
      new Counter({
        name: `${p}pattern_executions_total`,
        help: "Pattern executions that ended, by status.",
        labelNames: ["pattern", "level", "status"],
        registers,
      }),
    `${p}pattern_executions_total`,
  );
  const patternDuration = reg(
    () =>
      new Histogram({
        name: `${p}pattern_duration_seconds`,
        help: "Duration of pattern executions.",
        labelNames: ["pattern", "level"],
        buckets,
        registers,
      }),
    `${p}pattern_duration_seconds`,
  );
  const orchestrations = reg(
    () =>
      new Counter({
        name: `${p}orchestrations_total`,
        help: "Orchestrations that ended, by state.",
        labelNames: ["state"],
        registers,
      }),
    `${p}orchestrations_total`,
  );
  const orchestrationDuration = reg(
    () =>
      new Histogram({
        name: `${p}orchestration_duration_seconds`,
        help: "Wall time of orchestrations.",
        labelNames: ["state"],
        buckets,
        registers,
      }),
    `${p}orchestration_duration_seconds`,
  );
  const overhead = reg(
    () =>
      new Histogram({
        name: `${p}coordination_overhead_percent`,
        help: "Coordination overhead of each orchestration, as its result reports it.",
        buckets: OVERHEAD_BUCKETS,
        registers,
      }),
    `${p}coordination_overhead_percent`,
  );
  const running = reg(
    () => new Gauge({ name: `${p}orchestrations_running`, help: "Orchestrations running now.", registers }),
    `${p}orchestrations_running`,
  );
  const queued = reg(
    () => new Gauge({ name: `${p}tasks_queued`, help: "Tasks waiting for an agent.", registers }),
    `${p}tasks_queued`,
  );
  const agents = reg(
    () =>
      new Gauge({
        name: `${p}agents_live`,
        help: "Live agents.",
        labelNames: ["level", "agent_type"],
        registers,
      }),
    `${p}agents_live`,
  );

  const index = new PlanIndex();
  const queuedPaths = new Set<string>();
  const agentTypes = new Map<string, string>();
  const apply = (e: EchelonEvent): void => {
    index.apply(e);
    const o = e.orchestrationId;
    switch (e.type) {
      case "orchestration:started":
        running.inc();
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled": {
        running.dec();
        orchestrations.inc({ state: e.result.state });
        orchestrationDuration.observe({ state: e.result.state }, e.result.metadata.metrics.wallMs / 1000);
        overhead.observe(e.result.coordinationOverhead);
        for (const k of queuedPaths) if (k.startsWith(`${o}\u0000`)) queuedPaths.delete(k);
        queued.set(queuedPaths.size);
        index.end(o);
        return;
      }
      case "task:queued":
        queuedPaths.add(`${o}\u0000${e.nodePath}`);
        queued.set(queuedPaths.size);
        return;
      case "task:started":
        queuedPaths.delete(`${o}\u0000${e.nodePath}`);
        queued.set(queuedPaths.size);
        return;
      case "task:completed":
      case "task:failed":
      case "task:cancelled": {
        queuedPaths.delete(`${o}\u0000${e.nodePath}`);
        queued.set(queuedPaths.size);
        const t = index.taskOf(o, e.nodePath);
        const labels = {
          kind: e.kind,
          pattern: index.patternOf(o, e.nodePath),
          level: t.level,
          agent_type: t.agentType,
        };
        const outcome =
          e.type === "task:completed" ? "completed" : e.type === "task:failed" ? "failed" : "cancelled";
        tasks.inc({ ...labels, outcome });
        if (e.type === "task:completed") taskDuration.observe(labels, e.durationMs / 1000);
        return;
      }
      case "task:retrying": {
        const t = index.taskOf(o, e.nodePath);
        retries.inc({ pattern: index.patternOf(o, e.nodePath), level: t.level, agent_type: t.agentType });
        return;
      }
      case "task:compensated":
        compensations.inc({ pattern: index.patternOf(o, e.nodePath), level: index.levelOf(o, e.nodePath) });
        return;
      case "pattern:completed":
      case "pattern:failed": {
        const level = index.levelOf(o, e.nodePath);
        const status = e.type === "pattern:failed" ? "failed" : e.status;
        patternRuns.inc({ pattern: e.pattern, level, status });
        patternDuration.observe({ pattern: e.pattern, level }, e.durationMs / 1000);
        return;
      }
      case "agent:spawned":
        agentTypes.set(e.agentId, e.agentType);
        agents.inc({ level: e.level, agent_type: e.agentType });
        return;
      case "agent:retired":
        agents.dec({ level: e.level, agent_type: agentTypes.get(e.agentId) ?? "unknown" });
        agentTypes.delete(e.agentId);
        return;
      default:
        return;
    }
  };
  const handle = attachExporter(
    bus,
    {
      name: "prometheus",
      handle: (events) => {
        for (const e of events) apply(e);
      },
    },
    options.logger ? { logger: options.logger } : {},
  );

  const metrics = async (): Promise<string> => {
    await handle.flush();
    return registry.metrics();
  };
  return {
    registry,
    metrics,
    metricsHandler: () => (_req, res) => {
      metrics().then(
        (text) => {
          res.writeHead(200, { "content-type": registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
          res.end(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`);
        },
      );
    },
    flush: () => handle.flush(),
    close: () => {
      handle.close();
      for (const n of names) registry.removeSingleMetric(n);
    },
  };
}

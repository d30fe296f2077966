import {
  CoreErrorCode,
  EchelonError,
  type EchelonEvent,
  type NodeStatus,
  type OrchestrationStatus,
} from "@echelon/core";
import { AgentUsage } from "./agent-usage.js";
import { checkPositiveInt } from "./errors.js";
import { capacitiesFrom } from "./hierarchy.js";
import { PatternTable } from "./pattern-stats.js";
import { type RecentEvent, toRecentEvent } from "./recent-event.js";
import { RingBuffer } from "./ring-buffer.js";
import { type EventSourceOptions, resolveBus } from "./source.js";
import { baseStatus, enrich } from "./status.js";
import { OrchestrationTracker } from "./tracker.js";
import { TrendBuckets } from "./trends.js";
import type {
  EnrichedOrchestrationStatus,
  ExecutionRecord,
  MonitorSnapshot,
  OrchestrationSummary,
  TrendPoint,
} from "./types.js";
import { toExecutionRecord } from "./execution-record.js";

/** Options of {@link createMonitor}. Give `orchestrator` or `events`. */
export interface MonitorOptions extends EventSourceOptions {
  /** Finished orchestrations kept in the history ring (and for status look-ups). Default 100. */
  readonly historySize?: number;
  /** Length of the rolling window, milliseconds. Default 60,000. */
  readonly windowMs?: number;
  /** Length of one trend bucket, milliseconds. Default 1,000. */
  readonly bucketMs?: number;
  /** Trend buckets kept. Default 300. */
  readonly trendBuckets?: number;
  /** Recent events kept for dashboards. Default 200. */
  readonly recentEvents?: number;
  /** Durations kept per pattern for p50/p95. Default 1,024. */
  readonly durationSamples?: number;
}

/** What changed, as told to {@link Monitor.onUpdate} listeners. */
export interface MonitorUpdate {
  /** Orchestration the event belongs to; `""` for orchestrator-wide events (agents). */
  readonly orchestrationId: string;
  /** Node whose state changed, or `null` for an orchestration-level change. */
  readonly nodePath: string | null;
  /** Name of the event that caused the update. */
  readonly type: string;
}

/** A live collector of Echelon metrics on one event bus. */
export interface Monitor {
  /** Core's status of the orchestration plus progress, current patterns, ETA, queue and the whole node tree. @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN` */
  getOrchestrationStatus(orchestrationId: string): EnrichedOrchestrationStatus;
  /** Status of one node, or `null` when unknown. */
  getNodeStatus(orchestrationId: string, nodePath: string): NodeStatus | null;
  /** Running and recently finished orchestrations, oldest first. */
  listOrchestrations(): OrchestrationSummary[];
  /** Every figure at this instant: rolling window, agents, levels, patterns, totals. */
  snapshot(): MonitorSnapshot;
  /** Finished orchestrations, oldest first (bounded by `historySize`). */
  history(): ExecutionRecord[];
  /** Trend buckets covering the last `spanMs` (default: all kept), oldest first. */
  trends(spanMs?: number): TrendPoint[];
  /** The newest events, compact, oldest first. */
  recentEvents(limit?: number): RecentEvent[];
  /** Called after every applied event that changes something. @returns unsubscribe */
  onUpdate(listener: (update: MonitorUpdate) => void): () => void;
  /** Stops listening to the bus. */
  close(): void;
}

/**
 * Starts collecting metrics from an orchestrator's (or a bare bus's) events: coordination
 * overhead (taken from each result, never recomputed), throughput, queue depth, per-agent
 * and per-level utilisation (busy time ÷ (wall time × capacity)), per-pattern executions,
 * success rate, p50/p95, retries and compensations; a bounded history and time-bucketed trends.
 *
 * @param options - the source and bounds
 * @returns the live monitor; call `close()` to detach
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` for a missing source or a bad bound
 * @example
 * ```ts
 * const monitor = createMonitor({ orchestrator, historySize: 50 });
 * await orchestrator.orchestrateComplexTask(spec, { orchestrationId: "run-1" });
 * monitor.history().at(-1)?.coordinationOverhead;
 * ```
 */
export function createMonitor(options: MonitorOptions): Monitor {
  const where = "createMonitor";
  const bus = resolveBus(where, options);
  for (const k of [
    "historySize",
    "windowMs",
    "bucketMs",
    "trendBuckets",
    "recentEvents",
    "durationSamples",
  ] as const) {
    checkPositiveInt(where, k, options[k]);
  }
  const historySize = options.historySize ?? 100;
  const windowMs = options.windowMs ?? 60_000;
  const bucketMs = Math.min(options.bucketMs ?? 1_000, windowMs);
  const trends = new TrendBuckets(
    bucketMs,
    Math.max(options.trendBuckets ?? 300, Math.ceil(windowMs / bucketMs)),
  );
  const orchestrator = options.orchestrator;
  let capacities = new Map<string, number>();
  const usage = new AgentUsage(
    (id) => capacities.get(id),
    (level, start, end) => trends.busy(level, start, end),
  );
  const patterns = new PatternTable(options.durationSamples ?? 1_024);
  const recent = new RingBuffer<RecentEvent>(options.recentEvents ?? 200);
  const history = new RingBuffer<ExecutionRecord>(historySize);
  const trackers = new Map<string, OrchestrationTracker>();
  const finished: string[] = [];
  const listeners = new Set<(update: MonitorUpdate) => void>();
  const totals = { orchestrations: 0, tasksCompleted: 0, tasksFailed: 0, retries: 0, compensations: 0 };

  /** Tasks queued across every tracked orchestration, kept up to date per event. */
  let queued = 0;
  const queueDepth = (): number => queued;

  const refreshCapacities = (): void => {
    if (typeof orchestrator?.getAgentHierarchy !== "function") return;
    try {
      capacities = capacitiesFrom(orchestrator.getAgentHierarchy());
    } catch {
      // The hierarchy is only a source of capacities; without it capacities default to 1.
    }
  };

  const count = (event: EchelonEvent): void => {
    switch (event.type) {
      case "task:completed":
        if (event.kind !== "leaf") return;
        totals.tasksCompleted++;
        trends.count(event.ts, "tasksCompleted");
        return;
      case "task:failed":
        if (event.kind !== "leaf") return;
        totals.tasksFailed++;
        trends.count(event.ts, "tasksFailed");
        return;
      case "task:retrying":
        totals.retries++;
        trends.count(event.ts, "retries");
        return;
      case "task:compensated":
        totals.compensations++;
        trends.count(event.ts, "compensations");
        return;
      default:
        return;
    }
  };

  const onEvent = (event: EchelonEvent): void => {
    if (event.type === "bus:listenerFailed") return;
    recent.push(toRecentEvent(event));
    usage.apply(event);
    patterns.apply(event);
    count(event);
    let path: string | null = null;
    if (event.orchestrationId !== "") {
      let t = trackers.get(event.orchestrationId);
      if (!t) {
        t = new OrchestrationTracker(event.orchestrationId, event.ts);
        trackers.set(event.orchestrationId, t);
        totals.orchestrations++;
      }
      const before = t.state.waitingTasks;
      path = t.apply(event);
      queued += t.state.waitingTasks - before;
      if (event.type === "task:queued" || event.type === "task:started")
        trends.queueDepth(event.ts, queueDepth());
      if (
        event.type === "orchestration:completed" ||
        event.type === "orchestration:failed" ||
        event.type === "orchestration:cancelled"
      ) {
        history.push(toExecutionRecord(t, event.result, event.ts));
        trends.orchestrationFinished(event.ts, event.result.coordinationOverhead);
        finished.push(event.orchestrationId);
        while (finished.length > historySize) trackers.delete(finished.shift()!);
      }
    }
    if (listeners.size === 0) return;
    const update: MonitorUpdate = {
      orchestrationId: event.orchestrationId,
      nodePath: path,
      type: event.type,
    };
    for (const l of listeners) l(update);
  };
  const unsubscribe = bus.onAny(onEvent);

  const coreStatus = (id: string): OrchestrationStatus | null => {
    if (!orchestrator) return null;
    try {
      return orchestrator.getOrchestrationStatus(id);
    } catch {
      // Unknown to the orchestrator (evicted, or from a replayed bus): fall back to our tracker.
      return null;
    }
  };

  const monitor: Monitor = {
    getOrchestrationStatus(orchestrationId) {
      const t = trackers.get(orchestrationId);
      const base = coreStatus(orchestrationId) ?? (t ? baseStatus(t, performance.now()) : null);
      if (base === null) {
        throw new EchelonError(
          CoreErrorCode.ORCHESTRATION_UNKNOWN,
          `No orchestration "${orchestrationId}" is known to this monitor; it started before the monitor or was evicted from the history (historySize ${historySize}).`,
          { details: { orchestrationId } },
        );
      }
      return enrich(base, t);
    },
    getNodeStatus(orchestrationId, nodePath) {
      return trackers.get(orchestrationId)?.node(nodePath) ?? null;
    },
    listOrchestrations() {
      const now = performance.now();
      return [...trackers.values()].map((t) => {
        const s = baseStatus(t, now);
        return {
          orchestrationId: t.orchestrationId,
          taskId: s.taskId,
          state: s.state,
          progress: s.progress,
          elapsedMs: s.elapsedMs,
          totalTasks: s.totalTasks,
          startedAtEpochMs: t.startedAtEpochMs,
        };
      });
    },
    snapshot() {
      const now = performance.now();
      refreshCapacities();
      return {
        at: now,
        orchestrations: monitor.listOrchestrations(),
        queueDepth: queueDepth(),
        rolling: trends.rolling(now, windowMs),
        agents: usage.agentsAt(now),
        levels: usage.levelsAt(now, windowMs, trends.busyByLevel(now - windowMs, now)),
        patterns: patterns.stats(),
        totals: { ...totals },
      };
    },
    history: () => history.toArray(),
    trends(spanMs) {
      const now = performance.now();
      return trends.points(spanMs === undefined ? Number.NEGATIVE_INFINITY : now - spanMs, now);
    },
    recentEvents: (limit = recent.capacity) => recent.last(limit),
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => {
      unsubscribe();
      listeners.clear();
    },
  };
  return monitor;
}

import { type EchelonEvent, type Logger, NodePath } from "@echelon/core";
import { ROOT_CONTEXT, type Span, SpanStatusCode, type TracerProvider, trace } from "@opentelemetry/api";
import { type EventSourceOptions, resolveBus } from "../source.js";
import { attachExporter } from "./bridge.js";
import { PlanIndex } from "./plan-index.js";

/** Options of {@link createOtelExporter}. Give `orchestrator` or `events`. */
export interface OtelExporterOptions extends EventSourceOptions {
  /** Provider to get the tracer from. Default: the global one (a no-op unless an SDK is registered). */
  readonly tracerProvider?: TracerProvider;
  /** Tracer (instrumentation scope) name. Default `@echelon/monitoring`. */
  readonly tracerName?: string;
  /** Where exporter failures are logged. */
  readonly logger?: Logger;
}

/** A running OpenTelemetry exporter. */
export interface OtelExporter {
  /** Resolves once every event received so far became span operations. */
  flush(): Promise<void>;
  /** Detaches from the bus. Spans still open stay open. */
  close(): void;
}

interface Run {
  readonly root: Span;
  readonly spans: Map<string, Span>;
}

const epoch = (ts: number): number => performance.timeOrigin + ts;

/**
 * Turns orchestrations into OpenTelemetry traces through `@opentelemetry/api`: one span per
 * orchestration, one per plan node (and per extra invocation or compensation) with the
 * parent/child structure of the plan tree, and attributes `echelon.pattern`, `echelon.level`,
 * `echelon.agent.id`, `echelon.agent.type`, `echelon.attempt`. Timestamps are the events' own,
 * so spans are exact although they are built off the hot path. A no-op unless an SDK is
 * registered (globally or through `tracerProvider`).
 *
 * @param options - source and tracer provider
 * @returns the exporter
 * @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` when no source is given
 * @example
 * ```ts
 * const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
 * createOtelExporter({ orchestrator, tracerProvider: provider });
 * ```
 */
export function createOtelExporter(options: OtelExporterOptions): OtelExporter {
  const bus = resolveBus("createOtelExporter", options);
  const name = options.tracerName ?? "@echelon/monitoring";
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(name, "0.1.0");
  const index = new PlanIndex();
  const runs = new Map<string, Run>();

  // A compensation hangs under the task it undoes; any other task under its parent (an invocation's child under the invocation).
  const parentSpan = (run: Run, nodePath: string): Span => {
    const parent = NodePath.compensated(nodePath) ?? NodePath.parent(nodePath);
    return (parent !== null ? run.spans.get(parent) : undefined) ?? run.root;
  };

  const apply = (e: EchelonEvent): void => {
    index.apply(e);
    const o = e.orchestrationId;
    const run = runs.get(o);
    switch (e.type) {
      case "orchestration:started": {
        const root = tracer.startSpan(
          `orchestration ${e.taskId}`,
          {
            startTime: epoch(e.ts),
            attributes: {
              "echelon.orchestration.id": o,
              "echelon.task.id": e.taskId,
              "echelon.plan.nodes": e.plan.nodeCount,
            },
          },
          ROOT_CONTEXT,
        );
        runs.set(o, { root, spans: new Map() });
        return;
      }
      case "task:started": {
        if (!run) return;
        let span = run.spans.get(e.nodePath);
        if (!span) {
          const ctx = trace.setSpan(ROOT_CONTEXT, parentSpan(run, e.nodePath));
          span = tracer.startSpan(
            `${e.kind === "compensation" ? "compensate" : e.kind} ${e.nodePath}`,
            {
              startTime: epoch(e.ts),
              attributes: {
                "echelon.node.path": e.nodePath,
                "echelon.task.id": e.taskId,
                "echelon.kind": e.kind,
                "echelon.pattern": e.pattern ?? index.patternOf(o, e.nodePath),
                "echelon.level": e.level,
                ...(e.kind === "compensation"
                  ? { "echelon.compensates": NodePath.compensated(e.nodePath) ?? "" }
                  : {}),
              },
            },
            ctx,
          );
          run.spans.set(e.nodePath, span);
        }
        span.setAttributes({
          "echelon.agent.id": e.agentId,
          "echelon.agent.type": e.agentType,
          "echelon.attempt": e.attempt,
        });
        return;
      }
      case "task:retrying":
        run?.spans
          .get(e.nodePath)
          ?.addEvent(
            "retry",
            { "echelon.attempt": e.attempt, "echelon.error.code": e.error.code },
            epoch(e.ts),
          );
        return;
      case "task:completed":
        end(run, e.nodePath, e.ts, { code: SpanStatusCode.OK });
        return;
      case "task:failed":
        end(run, e.nodePath, e.ts, {
          code: SpanStatusCode.ERROR,
          message: `${e.error.code}: ${e.error.message}`,
        });
        return;
      case "task:cancelled":
        end(run, e.nodePath, e.ts, { code: SpanStatusCode.ERROR, message: `ECHELON_CANCELLED: ${e.reason}` });
        return;
      case "orchestration:completed":
      case "orchestration:failed":
      case "orchestration:cancelled": {
        index.end(o);
        if (!run) return;
        runs.delete(o);
        for (const span of run.spans.values()) if (span.isRecording()) span.end(epoch(e.ts));
        const r = e.result;
        run.root.setAttributes({
          "echelon.state": r.state,
          "echelon.coordination_overhead": r.coordinationOverhead,
          "echelon.agents_used": r.agentsUsed,
          "echelon.levels_deep": r.levelsDeep,
        });
        run.root.setStatus(
          r.success
            ? { code: SpanStatusCode.OK }
            : { code: SpanStatusCode.ERROR, message: r.errorMessage ?? r.state },
        );
        run.root.end(epoch(e.ts));
        return;
      }
      default:
        return;
    }
  };

  const handle = attachExporter(
    bus,
    {
      name: "opentelemetry",
      handle: (events) => {
        for (const e of events) apply(e);
      },
    },
    options.logger ? { logger: options.logger } : {},
  );
  return { flush: () => handle.flush(), close: () => handle.close() };
}

function end(
  run: Run | undefined,
  nodePath: string,
  ts: number,
  status: { code: SpanStatusCode; message?: string },
): void {
  const span = run?.spans.get(nodePath);
  if (!span) return;
  span.setStatus(status);
  span.end(epoch(ts));
}

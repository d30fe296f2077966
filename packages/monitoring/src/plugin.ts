import { EchelonError } from "@echelon/core";
import { createToken, definePlugin, type EchelonPlugin, type Token } from "@echelon/core/plugin";
import { MonitoringErrorCode } from "./errors.js";
import { createOtelExporter, type OtelExporter, type OtelExporterOptions } from "./exporters/otel.js";
import {
  createPrometheusExporter,
  type PrometheusExporter,
  type PrometheusExporterOptions,
} from "./exporters/prometheus.js";
import { createMonitor, type Monitor, type MonitorOptions } from "./monitor.js";

/** DI token under which {@link monitoringPlugin} binds its monitor in the orchestrator's container. */
export const MONITOR: Token<Monitor> = createToken<Monitor>("@echelon/monitoring/Monitor");

/** Options of {@link monitoringPlugin}. */
export interface MonitoringPluginOptions extends Omit<MonitorOptions, "orchestrator" | "events"> {
  /** Also export Prometheus metrics (options without the source). */
  readonly prometheus?: boolean | Omit<PrometheusExporterOptions, "orchestrator" | "events">;
  /** Also export OpenTelemetry spans (options without the source). */
  readonly otel?: boolean | Omit<OtelExporterOptions, "orchestrator" | "events">;
}

/** The plugin, with accessors for what it created once registered. */
export interface MonitoringPlugin extends EchelonPlugin {
  /** The monitor. @throws EchelonError `ECHELON_MONITORING_INVALID_OPTIONS` before the plugin was registered */
  monitor(): Monitor;
  /** The Prometheus exporter, or `null` when not enabled. */
  prometheus(): PrometheusExporter | null;
}

/**
 * A plugin that attaches a {@link Monitor} (and optionally the Prometheus and OpenTelemetry
 * exporters) to the orchestrator it is installed in, and binds the monitor under {@link MONITOR}.
 * For the dashboard, call {@link startDashboard} with the orchestrator.
 *
 * @param options - monitor bounds and exporters
 * @returns the plugin
 * @example
 * ```ts
 * const monitoring = monitoringPlugin({ historySize: 50, prometheus: true });
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [monitoring] });
 * monitoring.monitor().snapshot();
 * ```
 */
export function monitoringPlugin(options: MonitoringPluginOptions = {}): MonitoringPlugin {
  let monitor: Monitor | null = null;
  let prometheus: PrometheusExporter | null = null;
  let otel: OtelExporter | null = null;
  const { prometheus: promOptions, otel: otelOptions, ...monitorOptions } = options;
  const plugin = definePlugin({
    name: "@echelon/monitoring",
    version: "0.1.0",
    register(ctx) {
      monitor = createMonitor({ ...monitorOptions, events: ctx.events });
      ctx.bind(MONITOR, monitor);
      if (promOptions) {
        prometheus = createPrometheusExporter({
          ...(promOptions === true ? {} : promOptions),
          events: ctx.events,
          logger: ctx.logger,
        });
      }
      if (otelOptions) {
        otel = createOtelExporter({
          ...(otelOptions === true ? {} : otelOptions),
          events: ctx.events,
          logger: ctx.logger,
        });
      }
    },
    stop() {
      monitor?.close();
      prometheus?.close();
      otel?.close();
    },
  });
  return {
    ...plugin,
    monitor() {
      if (monitor === null) {
        throw new EchelonError(
          MonitoringErrorCode.INVALID_OPTIONS,
          "monitoringPlugin: the monitor exists once the plugin is registered; pass the plugin to an orchestrator first.",
        );
      }
      return monitor;
    },
    prometheus: () => prometheus,
  };
}

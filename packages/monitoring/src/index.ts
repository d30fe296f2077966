/**
 * `@echelon/monitoring` — measured metrics, history and trends for Echelon orchestrations,
 * Prometheus and OpenTelemetry exporters, and a live dashboard.
 *
 * @packageDocumentation
 */
export { type Dashboard, type DashboardOptions, startDashboard } from "./dashboard/server.js";
export { MonitoringErrorCode } from "./errors.js";
export {
  type AttachExporterOptions,
  attachExporter,
  type EventExporter,
  type ExporterHandle,
} from "./exporters/bridge.js";
export { createOtelExporter, type OtelExporter, type OtelExporterOptions } from "./exporters/otel.js";
export {
  createPrometheusExporter,
  type PrometheusExporter,
  type PrometheusExporterOptions,
} from "./exporters/prometheus.js";
export { createMonitor, type Monitor, type MonitorOptions, type MonitorUpdate } from "./monitor.js";
export { MONITOR, type MonitoringPlugin, type MonitoringPluginOptions, monitoringPlugin } from "./plugin.js";
export type { RecentEvent } from "./recent-event.js";
export type { EventSourceOptions, MonitoredOrchestrator } from "./source.js";
export type {
  AgentUtilisation,
  EnrichedOrchestrationStatus,
  ExecutionRecord,
  LevelUtilisation,
  MonitoredNode,
  MonitorSnapshot,
  OrchestrationSummary,
  PatternStats,
  RollingMetrics,
  TrendPoint,
} from "./types.js";

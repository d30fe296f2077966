import type { EventBus, EventStore, OrchestrationStatus } from "@echelon/core";
import { invalidOption } from "./errors.js";

/**
 * What monitoring needs from an orchestrator. `HierarchicalOrchestrator` satisfies it; so
 * does anything with an event bus and these methods (a remote proxy, a test double).
 */
export interface MonitoredOrchestrator {
  /** The orchestrator's event bus. */
  readonly events: EventBus;
  /** Status of one orchestration (core's figures). May throw for an unknown id. */
  getOrchestrationStatus(orchestrationId: string): OrchestrationStatus;
  /** Cancels one running orchestration. */
  cancelOrchestration(orchestrationId: string): unknown;
  /** The agent hierarchy: per level, its agents, load and capacity. Read defensively. */
  getAgentHierarchy?(): unknown;
  /**
   * The orchestrator's journal (`HierarchicalOrchestrator.eventStore`). The dashboard also lists
   * and opens the runs it holds: those of earlier processes and of other processes sharing it.
   * `null` or absent: the dashboard shows only what its monitor saw.
   */
  readonly eventStore?: EventStore | null;
}

/** Where a collector or exporter gets its events: an orchestrator, or a bare event bus. */
export interface EventSourceOptions {
  /** The orchestrator to observe (preferred: gives capacities and core status). */
  readonly orchestrator?: MonitoredOrchestrator;
  /** A bare event bus, when there is no orchestrator object (replay, tests). */
  readonly events?: EventBus;
}

/** @internal Picks the bus from `orchestrator` or `events`, or throws a coded error. */
export function resolveBus(where: string, options: EventSourceOptions): EventBus {
  const bus = options.orchestrator?.events ?? options.events;
  if (!bus || typeof bus.onAny !== "function") {
    invalidOption(where, "orchestrator | events", "an orchestrator or an EventBus", bus);
  }
  return bus;
}

import type { EchelonEvent } from "@echelon/core";

/** A compact, JSON-serialisable line about one event, for "recent events" lists (no outputs). */
export interface RecentEvent {
  /** Event name (`task:completed`, …). */
  readonly type: string;
  /** Orchestration of the event; `""` for orchestrator-wide events (agents). */
  readonly orchestrationId: string;
  /** Node path of the event; `""` when none. */
  readonly nodePath: string;
  /** Monotonic timestamp, milliseconds. */
  readonly ts: number;
  /** Short plain-text detail: agent, pattern, error code, state. Never HTML. */
  readonly detail: string;
}

/** @internal Summarises one event without its payload's outputs. */
export function toRecentEvent(event: EchelonEvent): RecentEvent {
  return {
    type: event.type,
    orchestrationId: event.orchestrationId,
    nodePath: event.nodePath,
    ts: event.ts,
    detail: detailOf(event),
  };
}

function detailOf(event: EchelonEvent): string {
  switch (event.type) {
    case "task:started":
      return `${event.kind} on ${event.agentId} (attempt ${event.attempt})`;
    case "task:completed":
      return `${event.kind} in ${event.durationMs.toFixed(1)} ms`;
    case "task:failed":
    case "pattern:failed":
    case "task:retrying":
      return `${event.error.code}: ${event.error.message}`.slice(0, 300);
    case "task:cancelled":
    case "task:skipped":
      return event.reason.slice(0, 300);
    case "pattern:started":
      return `${event.pattern} over ${event.children} children`;
    case "pattern:completed":
      return `${event.pattern} ${event.status} in ${event.durationMs.toFixed(1)} ms`;
    case "agent:spawned":
      return `${event.agentId} (${event.agentType}) at ${event.level}`;
    case "agent:retired":
      return `${event.agentId}: ${event.reason}`;
    case "orchestration:completed":
    case "orchestration:failed":
    case "orchestration:cancelled":
      return `${event.result.state}, overhead ${event.result.coordinationOverhead.toFixed(1)} %`;
    case "orchestration:started":
      return `${event.plan.nodeCount} nodes`;
    default:
      return "";
  }
}

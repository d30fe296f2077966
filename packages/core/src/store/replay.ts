import type { EchelonEvent } from "../events/event-map.js";
import type { OrchestrationResult, OrchestrationStatus } from "../model/result.js";
import { StatusTracker } from "../orchestrator/status-tracker.js";

/** What {@link replayOrchestration} rebuilds from a journal. */
export interface ReplayedOrchestration {
  /** The status as it was after the last event. */
  readonly status: OrchestrationStatus;
  /** The final result, when the journal holds the terminal event. */
  readonly result: OrchestrationResult | null;
  /** Output of every completed task, by node path. */
  readonly outputs: ReadonlyMap<string, unknown>;
}

/**
 * Rebuilds an orchestration's status, result and task outputs from its events (as kept by
 * an {@link EventStore}). The live orchestrator derives its status from the same events
 * through the same code, so the two agree.
 *
 * @param events - one orchestration's events, in order
 * @returns the rebuilt status, result and outputs
 */
export function replayOrchestration(events: Iterable<EchelonEvent>): ReplayedOrchestration {
  const tracker = new StatusTracker(true);
  let last = 0;
  for (const event of events) {
    tracker.apply(event);
    last = event.ts;
  }
  return { status: tracker.snapshot(last), result: tracker.result, outputs: tracker.outputs };
}

import type { EchelonEvent } from "../events/event-map.js";
import type { OrchestrationResult, OrchestrationStatus } from "../model/result.js";
import { applyRunEvent } from "../run-state/apply-event.js";
import { createRunState, type RunState } from "../run-state/run-state.js";
import { runStatus } from "../run-state/status-view.js";

/** What {@link replayOrchestration} rebuilds from a journal. */
export interface ReplayedOrchestration {
  /** The status as it was after the last event. */
  readonly status: OrchestrationStatus;
  /** The final result, when the journal holds the terminal event. */
  readonly result: OrchestrationResult | null;
  /** Output of every completed task, by node path. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** The folded run state itself. */
  readonly state: RunState;
}

/**
 * Rebuilds an orchestration's status, result and task outputs from its events (as kept by
 * an {@link EventStore}) with the same fold the live orchestrator uses (`applyRunEvent`), so
 * the two agree.
 *
 * @param events - one orchestration's events, in order
 * @returns the rebuilt status, result, outputs and state
 */
export function replayOrchestration(events: Iterable<EchelonEvent>): ReplayedOrchestration {
  const state = createRunState("", { keepOutputs: true });
  let last = 0;
  for (const event of events) {
    applyRunEvent(state, event);
    last = event.ts;
  }
  return {
    status: runStatus(state, last),
    result: state.result,
    outputs: new Map(Object.entries(state.outputs ?? {})),
    state,
  };
}

import type { Monitor } from "../monitor.js";
import type { MonitoredOrchestrator } from "../source.js";
import { orchestrationView } from "./views.js";

const FINISHED: ReadonlySet<string> = new Set(["completed", "failed", "cancelled"]);

/** @internal An HTTP answer of the cancel route: status and JSON body. */
export interface CancelAnswer {
  readonly status: 202 | 404 | 409;
  readonly body: Readonly<Record<string, unknown>>;
}

function stateOf(orchestrator: MonitoredOrchestrator, monitor: Monitor, id: string): string | null {
  try {
    return orchestrator.getOrchestrationStatus(id).state;
  } catch {
    // The orchestrator forgot it; the monitor may still know its last state.
    return orchestrationView(monitor, id)?.state ?? null;
  }
}

function alreadyFinished(id: string, state: string): CancelAnswer {
  return {
    status: 409,
    body: {
      error: `orchestration ${id} already finished (${state}); there is nothing to cancel`,
      orchestrationId: id,
      state,
      finished: true,
    },
  };
}

/**
 * @internal Cancels an orchestration for `POST /api/orchestrations/:id/cancel`: 202 when a
 * cancellation was requested, 404 for an unknown id, 409 with `{ error, orchestrationId,
 * state, finished: true }` when it had already finished (nothing is cancelled), or
 * `{ error }` when the orchestrator refused.
 */
export async function cancelOrchestration(
  orchestrator: MonitoredOrchestrator,
  monitor: Monitor,
  id: string,
): Promise<CancelAnswer> {
  const before = stateOf(orchestrator, monitor, id);
  if (before === null) return { status: 404, body: { error: `unknown orchestration ${id}` } };
  if (FINISHED.has(before)) return alreadyFinished(id, before);
  let cancelled: unknown;
  try {
    cancelled = await orchestrator.cancelOrchestration(id);
  } catch (error) {
    return { status: 409, body: { error: error instanceof Error ? error.message : String(error) } };
  }
  if (cancelled === false) {
    // It finished between the check and the call.
    const after = stateOf(orchestrator, monitor, id);
    if (after !== null && FINISHED.has(after)) return alreadyFinished(id, after);
  }
  return { status: 202, body: { cancelled: id } };
}

import { CoreErrorCode, isFinalState, type OrchestrationState } from "@echelon/core";
import { MonitoringErrorCode } from "../errors.js";
import type { Monitor } from "../monitor.js";
import type { MonitoredOrchestrator } from "../source.js";
import type { JournalHistory } from "./journal.js";
import { liveOwner } from "./journal-view.js";
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
      code: MonitoringErrorCode.RUN_FINISHED,
      orchestrationId: id,
      state,
      finished: true,
    },
  };
}

/** @internal The 404 answer for an id neither this process nor the journal knows. */
export function unknownOrchestration(id: string): { status: 404; body: Readonly<Record<string, unknown>> } {
  return {
    status: 404,
    body: {
      error: `unknown orchestration ${id}`,
      code: CoreErrorCode.ORCHESTRATION_UNKNOWN,
      orchestrationId: id,
    },
  };
}

/**
 * @internal Cancels an orchestration for `POST /api/orchestrations/:id/cancel`. A run this
 * process knows is cancelled through the orchestrator: 202 `{ cancelled: id }`. A run only the
 * journal knows (another process runs it) gets a cancel request in the journal, which the
 * owning process polls: 202 `{ requested: true, via: "journal", orchestrationId, owner }`
 * (`owner: null` when no live process holds the run: the request applies when it is resumed).
 * Either way: 404 `ECHELON_ORCHESTRATION_UNKNOWN` for an unknown id; 409
 * `{ error, code: ECHELON_DASHBOARD_RUN_FINISHED, orchestrationId, state, finished: true }`
 * when the run had already finished (nothing is cancelled); 409 `{ error }` when the
 * orchestrator refused; 409 `ECHELON_DASHBOARD_CANCEL_UNAVAILABLE` when the journal cannot
 * carry cancel requests.
 *
 * @throws EchelonError `ECHELON_DASHBOARD_JOURNAL_FAILED` when the journal fails (the route answers 500)
 */
export async function cancelOrchestration(
  orchestrator: MonitoredOrchestrator,
  monitor: Monitor,
  id: string,
  journal: JournalHistory | null = null,
): Promise<CancelAnswer> {
  const before = stateOf(orchestrator, monitor, id);
  if (before === null) return journal === null ? unknownOrchestration(id) : cancelThroughJournal(journal, id);
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

async function cancelThroughJournal(journal: JournalHistory, id: string): Promise<CancelAnswer> {
  const outcome = await journal.requestCancel(id);
  if (outcome === "requested") {
    const owner = liveOwner(await journal.summary(id));
    return { status: 202, body: { requested: true, via: "journal", orchestrationId: id, owner } };
  }
  if (outcome === "unknown") return unknownOrchestration(id);
  const state = await journalState(journal, id);
  if (state === null) return unknownOrchestration(id);
  if (outcome === "already-finished" || isFinalState(state)) return alreadyFinished(id, state);
  return {
    status: 409,
    body: {
      error: `orchestration ${id} is run by another process and this journal cannot carry cancel requests (its store has no requestCancel); cancel it in the process that runs it`,
      code: MonitoringErrorCode.CANCEL_UNAVAILABLE,
      orchestrationId: id,
      state,
    },
  };
}

/** The run's state as the journal tells it: its summary, else a fold of its events. */
async function journalState(journal: JournalHistory, id: string): Promise<OrchestrationState | null> {
  const summary = await journal.summary(id);
  if (summary !== null) return summary.state;
  const detail = await journal.detail(id);
  return detail?.orchestration.state ?? null;
}

import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { OrchestrationResult } from "../model/result.js";
import type { Plan, TaskSpec } from "../model/task.js";
import { hashPlan } from "../plan/plan-hash.js";
import type { EchelonEvent } from "../events/event-map.js";
import { applyRunEvent } from "../run-state/apply-event.js";
import { createRunState, type RunState } from "../run-state/run-state.js";
import { ReplayLog } from "../runtime/replay-log.js";
import type { EventStore } from "../store/event-store.js";

/** What {@link checkResume} needs from the orchestrator. */
export interface ResumeCheckContext {
  /** The orchestrator's journal, `null` when it keeps none. */
  readonly store: EventStore | null;
  /** Starts the plugins; called once the store is known to exist, before its journal is read. */
  start(): Promise<void>;
  /** Plans the task given again, to compare with the journaled plan. */
  makePlan(task: string | TaskSpec | Plan): Promise<Plan>;
}

/** Folds a run's journal (outputs kept), event by event when the store can hand them out so. */
async function foldJournal(
  store: EventStore,
  orchestrationId: string,
): Promise<{ readonly state: RunState; readonly events: number; readonly cancelReason: string | null }> {
  const state = createRunState("", { keepOutputs: true });
  let events = 0;
  let cancelReason: string | null = null;
  const visit = (event: EchelonEvent): void => {
    if (event.type === "orchestration:cancelling") cancelReason = event.reason;
    applyRunEvent(state, event);
    events++;
  };
  if (store.readEach === undefined) for (const event of await store.read(orchestrationId)) visit(event);
  else await store.readEach(orchestrationId, visit);
  return { state, events, cancelReason };
}

/** Options of {@link HierarchicalOrchestrator.resume}. */
export interface ResumeOptions {
  /**
   * The task again (text, spec or plan). When given, its plan must have the journaled plan's
   * hash: a definition that changed since the crash is refused (`ECHELON_RESUME_PLAN_CHANGED`)
   * unless `force`. Without it the journaled plan is resumed.
   */
  readonly task?: string | TaskSpec | Plan;
  /** Run the new definition even though it changed (tasks keep their journaled outcome by path). */
  readonly force?: boolean;
  /** Cancels the resumed run. */
  readonly signal?: AbortSignal;
}

/** How a run can be resumed: it already ended (its result), or it goes on with a plan from its journal. */
export type ResumeDecision =
  | { readonly kind: "finished"; readonly result: OrchestrationResult }
  | { readonly kind: "resume"; readonly replay: ReplayLog; readonly plan: Plan };

/**
 * Reads a run's journal and decides how to resume it: a finished run gives back its result; an
 * unfinished one goes on with the journaled plan, or with the plan of the task given again when
 * it hashes the same (or `force`).
 *
 * @param orchestrationId - the run to resume
 * @param request - the task again, `force`
 * @param context - the store, plugin start and planning
 * @returns the decision
 * @throws EchelonError `ECHELON_RESUME_IMPOSSIBLE` (no store, no journal for the id, or it never
 *   started), `ECHELON_RESUME_PLAN_CHANGED`, and planning's codes for the task given again
 */
export async function checkResume(
  orchestrationId: string,
  request: ResumeOptions,
  context: ResumeCheckContext,
): Promise<ResumeDecision> {
  const store = context.store;
  if (store === null) {
    throw new EchelonError(
      CoreErrorCode.RESUME_IMPOSSIBLE,
      "This orchestrator keeps no journal (eventStore: null); resume needs the store the run was journaled in.",
      { details: { orchestrationId } },
    );
  }
  await context.start();
  const { state, events, cancelReason } = await foldJournal(store, orchestrationId);
  const replay = new ReplayLog(state, cancelReason);
  const journaled = replay.state.plan;
  if (journaled === null) {
    throw new EchelonError(
      CoreErrorCode.RESUME_IMPOSSIBLE,
      `Store "${store.name}" has no started run "${orchestrationId}" to resume${events > 0 ? " (it ended before its plan was made)" : ""}. Check the id with \`echelon list\`.`,
      { details: { orchestrationId, store: store.name, events } },
    );
  }
  if (replay.state.result !== null) return { kind: "finished", result: replay.state.result };
  if (request.task === undefined) return { kind: "resume", replay, plan: journaled };
  const fresh = await context.makePlan(request.task);
  const [was, now] = [hashPlan(journaled), hashPlan(fresh)];
  if (was !== now && request.force !== true) {
    throw new EchelonError(
      CoreErrorCode.RESUME_PLAN_CHANGED,
      `The definition of "${orchestrationId}" changed since it was journaled (${was} → ${now}). Resume without the task to finish the journaled plan, or pass force to run the new one.`,
      { details: { orchestrationId, journaled: was, given: now } },
    );
  }
  return { kind: "resume", replay, plan: fresh };
}

import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { OrchestrationMetrics, OrchestrationResult, OrchestrationState } from "../model/result.js";
import type { Plan } from "../model/task.js";
import { settledCounts } from "../run-state/apply-event.js";
import type { RunState } from "../run-state/run-state.js";
import { computeCoordinationOverhead } from "../metrics/overhead.js";
import { abortError } from "../util/abort.js";

/** How a run's root ended, as the result builder sees it. */
export interface RunEnding {
  /** The root's output (meaningful when it did not fail, or when a plugin stopped the run). */
  readonly output: unknown;
  /** What the root threw, or `undefined` when it returned. */
  readonly failure: unknown;
  /** The coded reason a plugin stopped the run with, or `null`. */
  readonly stopped: EchelonError | null;
  /** The run's signal (aborted by a cancel or a stop). */
  readonly signal: AbortSignal;
}

/** One row of the outcome table: when it applies, the state, the error and whether the output is kept. */
interface OutcomeRule {
  readonly when: (ending: RunEnding) => boolean;
  readonly state: OrchestrationState;
  readonly error: (ending: RunEnding) => EchelonError | null;
  readonly keepsOutput: boolean;
}

/**
 * The outcome of a run, first matching row wins:
 *
 * | when | state | error | output kept |
 * |---|---|---|---|
 * | a plugin stopped the run (`ctx.stopOrchestration`) | failed | the plugin's reason | yes (what the root still returned) |
 * | the root returned | completed | none | yes |
 * | the run's signal was aborted (cancel, shutdown, the caller's signal) | cancelled | the root's coded error (e.g. a saga's `ECHELON_SAGA_COMPENSATED`), else `ECHELON_CANCELLED` | no |
 * | anything else | failed | the root's error (`ECHELON_TASK_FAILED` when uncoded) | no |
 */
export const OUTCOME_RULES: readonly OutcomeRule[] = [
  { when: (e) => e.stopped !== null, state: "failed", error: (e) => e.stopped, keepsOutput: true },
  { when: (e) => e.failure === undefined, state: "completed", error: () => null, keepsOutput: true },
  {
    when: (e) => e.signal.aborted,
    state: "cancelled",
    // A pattern's own coded account of the cancel (a saga that compensated) is kept.
    error: (e) => (e.failure instanceof EchelonError ? e.failure : abortError(e.signal, "The orchestration")),
    keepsOutput: false,
  },
  {
    when: () => true,
    state: "failed",
    error: (e) => toEchelonError(e.failure, CoreErrorCode.TASK_FAILED),
    keepsOutput: false,
  },
];

/** The first rule of {@link OUTCOME_RULES} that applies. */
export function decideOutcome(ending: RunEnding): {
  readonly state: OrchestrationState;
  readonly error: EchelonError | null;
  readonly keepsOutput: boolean;
} {
  const rule = OUTCOME_RULES.find((r) => r.when(ending))!;
  return { state: rule.state, error: rule.error(ending), keepsOutput: rule.keepsOutput };
}

/** Everything {@link buildResult} puts together. */
export interface ResultParts {
  readonly orchestrationId: string;
  readonly plan: Plan | null;
  readonly ending: RunEnding;
  readonly state: RunState;
  readonly metrics: OrchestrationMetrics;
  readonly agentsUsed: number;
  readonly levelsDeep: number;
  readonly extra: Readonly<Record<string, unknown>>;
}

/**
 * Builds the result of a run. Task counts are the ones the terminal event will settle to (see
 * `applyRunEvent`), so the result, the status and a replay of the journal agree.
 */
export function buildResult(parts: ResultParts): OrchestrationResult {
  const { state: runState, ending, metrics } = parts;
  const outcome = decideOutcome(ending);
  const counts = settledCounts(runState, outcome.state);
  return {
    taskId: parts.plan?.taskId ?? "",
    orchestrationId: parts.orchestrationId,
    success: outcome.error === null,
    state: outcome.state,
    result: outcome.keepsOutput ? (ending.output ?? null) : null,
    executionTime: metrics.wallMs / 1000,
    agentsUsed: parts.agentsUsed,
    levelsDeep: parts.plan === null ? 0 : parts.levelsDeep,
    coordinationOverhead: computeCoordinationOverhead(metrics.wallMs, metrics.lowerBoundMs),
    errorMessage: outcome.error?.message ?? null,
    error: outcome.error?.toJSON() ?? null,
    metadata: {
      patternsUsed: [...runState.patternsUsed],
      totalTasks: runState.totalTasks,
      expandedTasks: runState.expandedTasks,
      completedTasks: counts.completed,
      failedTasks: counts.failed,
      cancelledTasks: counts.cancelled,
      compensatedTasks: counts.compensated,
      skippedTasks: counts.skipped,
      retries: runState.retries,
      planSource: parts.plan?.source ?? "",
      metrics,
      extra: parts.extra,
    },
  };
}

import { EchelonError, toEchelonError } from "@echelon/core";
import {
  type LinkedController,
  linkedController,
  type PatternChild,
  type PatternContext,
} from "@echelon/core/plugin";
import { ScatterGatherErrorCode } from "./errors.js";
import type {} from "./events.js";
import type {
  GatherAnswer,
  GatherDecision,
  GatherFailure,
  GatherState,
  GatherStrategy,
} from "./gather-strategies.js";

/** One respondent: a child, or one replica of the single child. */
export interface Respondent {
  readonly id: string;
  readonly child: PatternChild;
  readonly invocation?: string;
}

/** Settings of one scatter. */
export interface ScatterSettings {
  readonly strategy: GatherStrategy;
  readonly deadlineMs: number | null;
  readonly quorum: number | null;
  readonly key: (output: unknown) => string;
}

/** What one scatter produced. */
export interface ScatterRun {
  /** The decision, or the error the strategy threw; `null` when cancelled before a decision. */
  readonly decision: { readonly ok: GatherDecision } | { readonly error: unknown } | null;
  readonly answers: readonly GatherAnswer[];
  readonly failures: readonly GatherFailure[];
  /** Respondents aborted because the gather was decided or the deadline passed. */
  readonly aborted: readonly string[];
  readonly deadlineHit: boolean;
}

/**
 * Scatters to every respondent at once, feeds each arrival to the strategy, aborts the
 * stragglers once it decides (or at the deadline), and resolves once every run settled.
 */
export async function scatter(
  respondents: readonly Respondent[],
  ctx: PatternContext,
  settings: ScatterSettings,
): Promise<ScatterRun> {
  const answers: GatherAnswer[] = [];
  const failures: GatherFailure[] = [];
  const aborted: string[] = [];
  const links = new Map<string, LinkedController>();
  let pending = respondents.length;
  let deadlineHit = false;
  let firstError: Error | null = null;
  let decision: ScatterRun["decision"] = null;

  const respondentIds = respondents.map((r) => r.id);

  const abortStragglers = (why: "decided" | "deadline") => {
    const message =
      why === "deadline"
        ? "Aborted by scatter-gather: the deadline passed."
        : "Aborted by scatter-gather: the gather was decided.";
    const reason = new EchelonError(ScatterGatherErrorCode.ABORTED, message, { details: { reason: why } });
    const now: string[] = [];
    for (const [id, link] of links) {
      // Only respondents still running are left in `links`.
      if (!link.signal.aborted) {
        now.push(id);
        link.controller.abort(reason);
      }
    }
    aborted.push(...now);
    if (now.length > 0) ctx.emit("scatter-gather:respondentsAborted", { respondents: now, reason: why });
  };

  const evaluate = (final: boolean) => {
    if (decision !== null || ctx.signal.aborted) return;
    const state: GatherState = {
      respondents: respondentIds,
      answers,
      failures,
      pending,
      final,
      deadlineHit,
      quorum: settings.quorum,
      key: settings.key,
      firstError,
      options: ctx.options,
    };
    try {
      const decided = settings.strategy(state);
      if (
        decided !== undefined &&
        (typeof decided !== "object" || decided === null || !("value" in decided))
      ) {
        throw new TypeError(`it returned ${String(decided)} instead of { value } or undefined`);
      }
      if (decided !== undefined) decision = { ok: decided };
      else if (final) {
        decision = {
          error: new EchelonError(
            ScatterGatherErrorCode.UNDECIDED,
            "scatter-gather: the gather strategy returned no decision although nothing more will arrive. " +
              "A strategy must decide (or throw) when state.final is true.",
          ),
        };
      }
    } catch (error) {
      decision = {
        error:
          error instanceof EchelonError
            ? error
            : new EchelonError(
                ScatterGatherErrorCode.STRATEGY_FAILED,
                `scatter-gather: the gather strategy (or its vote key) threw: ${error instanceof Error ? error.message : String(error)}. Fix it.`,
                { cause: error },
              ),
      };
    }
    if (decision !== null) {
      abortStragglers(deadlineHit ? "deadline" : "decided");
    }
  };

  const timer =
    settings.deadlineMs === null
      ? undefined
      : setTimeout(() => {
          deadlineHit = true;
          evaluate(true);
        }, settings.deadlineMs);

  const runs = respondents.map((r) => {
    const link = linkedController(ctx.signal);
    links.set(r.id, link);
    const t0 = performance.now();
    const options =
      r.invocation === undefined
        ? { signal: link.signal }
        : { signal: link.signal, invocation: r.invocation };
    // `new Promise` turns a synchronous throw of runChild into a rejection.
    return new Promise<unknown>((resolve) => resolve(ctx.runChild(r.child, options)))
      .then(
        (output) => {
          links.delete(r.id);
          answers.push({ respondent: r.id, output, durationMs: performance.now() - t0 });
        },
        (error: unknown) => {
          links.delete(r.id);
          if (link.signal.aborted) return; // aborted by us or cancelled: not an answer, not a failure
          const failure = toEchelonError(error, ScatterGatherErrorCode.NO_RESPONSE);
          firstError ??= failure;
          failures.push({ respondent: r.id, error: failure.toJSON() });
        },
      )
      .finally(() => {
        pending--;
        link.dispose();
        evaluate(pending === 0);
      });
  });

  try {
    await Promise.allSettled(runs);
  } finally {
    clearTimeout(timer);
  }
  return { decision, answers, failures, aborted, deadlineHit };
}

import { type ChildOutcome, CoreErrorCode, EchelonError, toEchelonError } from "@echelon/core";
import { abortError, type Pattern, type PatternChild, type PatternOutcome } from "@echelon/core/plugin";
import { type CompletedStep, compensateAll, handlerFor } from "./compensation.js";
import { SagaErrorCode } from "./errors.js";
import type { CompensationHandler, RegisteredHandler } from "./handlers.js";
import {
  type CompensationRetryPolicy,
  checkRetryPolicy,
  checkSagaOptions,
  resolveSagaOptions,
  type SagaOptions,
} from "./options.js";
import type { StepRecord } from "./step-record.js";

/** Options of {@link SagaPattern.registerCompensationHandler}. */
export interface RegisterHandlerOptions {
  /** This handler's own retry policy (takes precedence over `compensationRetry`). */
  readonly retry?: CompensationRetryPolicy;
  /** Replace a handler already registered for this step. Default false. */
  readonly override?: boolean;
}

declare module "@echelon/core" {
  /** Types `executor.patterns[OrchestrationPattern.SAGA]` as this package's pattern object. */
  interface PatternRegistry {
    /** The saga pattern, so `executor.patterns["saga"]` is typed as a {@link SagaPattern}. */
    saga: SagaPattern;
  }
}

/** The saga pattern object: a {@link Pattern} that also carries its compensation handlers. */
export interface SagaPattern extends Pattern {
  readonly name: "saga";
  readonly ordering: "sequential";
  /**
   * Registers an in-process compensation for the step with id `stepName` (or for steps whose
   * `metadata.compensate` names it). It takes precedence over a compensating task.
   *
   * @param stepName - step id (or handler name)
   * @param handler - `(output, { signal, attempt, step, orchestrationId }) => unknown`
   * @param options - own retry policy, `override`
   * @throws EchelonError `ECHELON_SAGA_DUPLICATE_HANDLER` when one is registered already;
   *   `ECHELON_SAGA_INVALID_OPTIONS` for an empty name, a non-function or a bad retry policy
   */
  registerCompensationHandler(
    stepName: string,
    handler: CompensationHandler,
    options?: RegisterHandlerOptions,
  ): void;
  /** Names that have a compensation handler. */
  compensationHandlers(): string[];
}

function checkSteps(children: readonly PatternChild[]): void {
  const position = new Map<string, number>();
  children.forEach((child, i) => {
    if (position.has(child.id)) {
      throw new EchelonError(
        SagaErrorCode.DUPLICATE_STEP,
        `saga: two steps have the id "${child.id}". Give every step a unique id.`,
        {
          details: { step: child.id },
        },
      );
    }
    position.set(child.id, i);
  });
  children.forEach((child, i) => {
    for (const dep of child.dependsOn) {
      const at = position.get(dep);
      if (at !== undefined && at >= i) {
        throw new EchelonError(
          SagaErrorCode.STEP_ORDER,
          `saga: step "${child.id}" depends on "${dep}", which runs after it (steps run in order). Reorder the steps.`,
          { details: { step: child.id, dependsOn: dep } },
        );
      }
    }
  });
}

/**
 * Creates the saga pattern: steps run in order; when one fails (or the saga is cancelled),
 * the completed steps are compensated in reverse order — by a registered handler, else by
 * the step's compensating task — each retried by its policy. Compensation is not cancellable.
 *
 * @param defaults - default options; a node's `patternOptions` override them
 * @returns the pattern object
 * @throws EchelonError `ECHELON_SAGA_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const saga = createSagaPattern({ compensationRetry: { attempts: 5, backoffMs: 200 } });
 * saga.registerCompensationHandler("reserve-seat", async (output) => releaseSeat(output));
 * const run = await runPatternOnSlices(saga, steps, agents);
 * // run.error?.code === "ECHELON_SAGA_COMPENSATED" when a step failed and was rolled back
 * ```
 */
export function createSagaPattern(defaults: SagaOptions = {}): SagaPattern {
  checkSagaOptions(defaults as Readonly<Record<string, unknown>>);
  const handlers = new Map<string, RegisteredHandler>();

  return {
    name: "saga",
    ordering: "sequential",

    registerCompensationHandler(stepName, handler, options = {}) {
      if (typeof stepName !== "string" || stepName === "" || typeof handler !== "function") {
        throw new EchelonError(
          SagaErrorCode.INVALID_OPTIONS,
          "registerCompensationHandler: pass a non-empty step name and a function (output, context) => unknown.",
          { details: { stepName: String(stepName) } },
        );
      }
      checkRetryPolicy(options.retry, "retry");
      if (handlers.has(stepName) && options.override !== true) {
        throw new EchelonError(
          SagaErrorCode.DUPLICATE_HANDLER,
          `registerCompensationHandler: step "${stepName}" already has a handler. Pass { override: true } to replace it.`,
          { details: { stepName } },
        );
      }
      handlers.set(
        stepName,
        options.retry === undefined ? { fn: handler } : { fn: handler, retry: options.retry },
      );
    },

    compensationHandlers: () => [...handlers.keys()],

    checkOptions(options, children) {
      resolveSagaOptions(defaults, options);
      checkSteps(children);
    },

    async execute(children, ctx): Promise<PatternOutcome> {
      const settings = resolveSagaOptions(defaults, ctx.options);
      checkSteps(children);
      const records: StepRecord[] = children.map((c, index) => ({ step: c.id, index, status: "not-run" }));
      const completed: CompletedStep[] = [];
      let failure: { index: number; error: EchelonError } | null = null;
      let cancelled = false;

      for (const [index, child] of children.entries()) {
        if (ctx.signal.aborted) {
          cancelled = true;
          break;
        }
        const t0 = performance.now();
        try {
          const output = await ctx.runChild(child);
          const durationMs = performance.now() - t0;
          completed.push({ index, child, output });
          records[index] = { ...records[index]!, status: "completed", output: output ?? null, durationMs };
          ctx.emit("saga:stepCompleted", { step: child.id, index, output: output ?? null, durationMs });
        } catch (caught) {
          cancelled = ctx.signal.aborted;
          const stepError = toEchelonError(caught, CoreErrorCode.TASK_FAILED);
          const error = cancelled ? abortError(ctx.signal, "The saga") : stepError;
          records[index] = {
            ...records[index]!,
            status: cancelled ? "cancelled" : "failed",
            error: stepError.toJSON(),
            durationMs: performance.now() - t0,
          };
          ctx.emit("saga:stepFailed", { step: child.id, index, error: records[index]!.error!, cancelled });
          failure = { index, error };
          break;
        }
      }

      const summary = (compensated: string[] = [], compensationFailed: string[] = []) => ({
        outcome:
          failure === null && !cancelled
            ? "completed"
            : compensationFailed.length > 0
              ? "compensation-failed"
              : "compensated",
        failedStep: failure === null ? null : children[failure.index]!.id,
        stepsRun: records.filter((r) => r.status !== "not-run").map((r) => r.step),
        completed: completed.map((c) => c.child.id),
        compensated,
        notCompensable: records.filter((r) => r.compensation === "not-compensable").map((r) => r.step),
        compensationFailed,
        cancelled,
        steps: records,
      });

      if (failure === null && !cancelled) {
        const outcomes: ChildOutcome[] = completed.map((c) => ({
          id: c.child.id,
          status: "completed",
          output: c.output ?? null,
          ...(records[c.index]!.durationMs !== undefined
            ? { durationMs: records[c.index]!.durationMs! }
            : {}),
        }));
        return {
          result: Object.fromEntries(completed.map((c) => [c.child.id, c.output ?? null])),
          status: "completed",
          children: outcomes,
          details: summary(),
        };
      }

      const { compensated, failed } = await compensateAll(completed, records, ctx, handlers, settings);
      const cause = failure?.error ?? abortError(ctx.signal, "The saga");
      const what = cancelled ? "the saga was cancelled" : `step "${children[failure!.index]!.id}" failed`;
      if (failed.length > 0) {
        throw new EchelonError(
          SagaErrorCode.COMPENSATION_FAILED,
          `saga: ${what}, and the compensation of ${failed.map((s) => `"${s}"`).join(", ")} failed after its retries. ` +
            "The saga is compensation-failed: undo those steps by hand (details.steps has their outputs and errors).",
          { cause, details: summary(compensated, failed) },
        );
      }
      const notCompensable = records.filter((r) => r.compensation === "not-compensable").length;
      const message =
        `saga: ${what}; ${compensated.length} completed step(s) were compensated in reverse order` +
        `${notCompensable > 0 ? ` (${notCompensable} declared no compensation; see details.notCompensable)` : ""}.`;
      // Cancelled before any step completed: nothing was done, nothing undone — a plain
      // cancellation (core's code). Otherwise the saga reports that it compensated.
      const plainCancel = cancelled && completed.length === 0;
      throw new EchelonError(plainCancel ? CoreErrorCode.CANCELLED : SagaErrorCode.COMPENSATED, message, {
        cause,
        details: summary(compensated, failed),
      });
    },

    recommend(children: readonly PatternChild[]): number {
      return children.some((c) => c.hasCompensation || handlerFor(c, handlers) !== undefined) ? 0.95 : 0;
    },
  };
}

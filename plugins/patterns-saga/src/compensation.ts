import { toEchelonError } from "@echelon/core";
import type { PatternChild, PatternContext } from "@echelon/core/plugin";
import { SagaErrorCode } from "./errors.js";
import type { CompensationVia } from "./events.js";
import { type RegisteredHandler, runHandlerAttempt } from "./handlers.js";
import { type ResolvedSagaOptions, resolveRetry } from "./options.js";
import { retryUncancellable } from "./retry.js";
import type { StepRecord } from "./step-record.js";

/** A step that completed, with its output. */
export interface CompletedStep {
  readonly index: number;
  readonly child: PatternChild;
  readonly output: unknown;
}

/** Finds the handler of a step: by step id, else by a handler name in `metadata.compensate`. */
export function handlerFor(
  child: PatternChild,
  handlers: ReadonlyMap<string, RegisteredHandler>,
): RegisteredHandler | undefined {
  const byId = handlers.get(child.id);
  if (byId) return byId;
  const named = child.metadata.compensate;
  return typeof named === "string" ? handlers.get(named) : undefined;
}

/**
 * Compensates the completed steps in reverse order. Not cancellable: ignores `ctx.signal`.
 * Updates `records` in place and emits an event for every step.
 *
 * @returns ids compensated (in compensation order) and ids whose compensation finally failed
 */
export async function compensateAll(
  completed: readonly CompletedStep[],
  records: StepRecord[],
  ctx: PatternContext,
  handlers: ReadonlyMap<string, RegisteredHandler>,
  settings: ResolvedSagaOptions,
): Promise<{ compensated: string[]; failed: string[] }> {
  const compensated: string[] = [];
  const failed: string[] = [];
  for (let j = completed.length - 1; j >= 0; j--) {
    const { index, child, output } = completed[j]!;
    const record = records[index]!;
    const step = child.id;
    if (failed.length > 0 && settings.onCompensationFailure === "stop") {
      records[index] = { ...record, compensation: "not-attempted" };
      ctx.emit("saga:compensationSkipped", { step, index, reason: "stopped" });
      continue;
    }
    const handler = handlerFor(child, handlers);
    if (!handler && !child.hasCompensation) {
      records[index] = { ...record, compensation: "not-compensable" };
      ctx.emit("saga:compensationSkipped", { step, index, reason: "not-compensable" });
      continue;
    }
    const via: CompensationVia = handler ? "handler" : "task";
    // Resumed after a crash: a step the journal records as compensated is never undone twice.
    if (ctx.wasCompensated(child)) {
      compensated.push(step);
      records[index] = {
        ...record,
        compensation: "compensated",
        compensationVia: via,
        compensationAttempts: 0,
      };
      continue;
    }
    const policy = handler ? resolveRetry(settings.retry, handler.retry) : settings.retry;
    const outcome = await retryUncancellable(policy, (attempt) =>
      handler
        ? runHandlerAttempt(
            handler.fn,
            output,
            { attempt, step, orchestrationId: ctx.orchestrationId },
            policy,
          )
        : ctx.compensateChild(child, output),
    );
    if (outcome.ok) {
      if (handler) ctx.markCompensated(child, null);
      compensated.push(step);
      records[index] = {
        ...record,
        compensation: "compensated",
        compensationVia: via,
        compensationAttempts: outcome.attempts,
      };
      ctx.emit("saga:stepCompensated", { step, index, via, attempts: outcome.attempts });
    } else {
      failed.push(step);
      const error = toEchelonError(
        outcome.error,
        SagaErrorCode.COMPENSATION_FAILED,
        `Compensation of step "${step}" failed: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}`,
      );
      records[index] = {
        ...record,
        compensation: "failed",
        compensationVia: via,
        compensationAttempts: outcome.attempts,
        compensationError: error.toJSON(),
      };
      ctx.emit("saga:compensationFailed", {
        step,
        index,
        via,
        attempts: outcome.attempts,
        error: error.toJSON(),
      });
      ctx.logger.error(`saga: compensation of step "${step}" failed`, { step, attempts: outcome.attempts });
    }
  }
  return { compensated, failed };
}

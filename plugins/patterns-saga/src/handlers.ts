import { EchelonError } from "@echelon/core";
import { raceAbort } from "@echelon/core/plugin";
import { SagaErrorCode } from "./errors.js";
import type { CompensationRetryPolicy, ResolvedRetryPolicy } from "./options.js";

/** What an in-process compensation handler gets besides the step's output. */
export interface CompensationContext {
  /** Aborted only when the attempt exceeds `compensationRetry.timeoutMs`; cancellation of the saga never aborts it. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Id of the step being compensated. */
  readonly step: string;
  /** Id of the orchestration (or executor run). */
  readonly orchestrationId: string;
}

/** Undoes one completed step, in this process. Throw (or reject) to fail the attempt. */
export type CompensationHandler = (output: unknown, context: CompensationContext) => unknown;

/** A registered handler and its own retry policy. */
export interface RegisteredHandler {
  readonly fn: CompensationHandler;
  readonly retry?: CompensationRetryPolicy;
}

/**
 * Runs one attempt of a handler, aborting its signal (and failing the attempt) after
 * `policy.timeoutMs` when set.
 */
export async function runHandlerAttempt(
  handler: CompensationHandler,
  output: unknown,
  context: Omit<CompensationContext, "signal">,
  policy: ResolvedRetryPolicy,
): Promise<unknown> {
  const controller = new AbortController();
  const timer =
    policy.timeoutMs === null
      ? undefined
      : setTimeout(() => {
          controller.abort(
            new EchelonError(
              SagaErrorCode.COMPENSATION_TIMEOUT,
              `Compensation of step "${context.step}" (attempt ${context.attempt}) exceeded ${policy.timeoutMs} ms.`,
              { details: { step: context.step, attempt: context.attempt, timeoutMs: policy.timeoutMs } },
            ),
          );
        }, policy.timeoutMs);
  try {
    const run = Promise.resolve().then(() => handler(output, { ...context, signal: controller.signal }));
    return await raceAbort(run, controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

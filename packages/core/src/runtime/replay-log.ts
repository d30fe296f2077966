import { CoreErrorCode } from "../errors/codes.js";
import type { EchelonErrorCode } from "../errors/codes.js";
import { EchelonError, type EchelonErrorJson } from "../errors/echelon-error.js";
import { NonRetryableError } from "../errors/non-retryable.js";
import type { RunExpansion, RunState } from "../run-state/run-state.js";

/** What the journal says of one task when a resumed run reaches it again. */
export type ReplayedTask =
  | { readonly kind: "output"; readonly output: unknown }
  | { readonly kind: "failure"; readonly error: EchelonError };

/** The one-level summary of a journaled error's cause, as an error that serialises back to it. */
function causeFromJson(cause: EchelonErrorJson["cause"]): Error | undefined {
  if (cause === undefined) return undefined;
  const error =
    cause.code !== undefined
      ? new EchelonError(cause.code as EchelonErrorCode, cause.message)
      : new Error(cause.message);
  error.name = cause.name;
  return error;
}

/**
 * A journaled failure as an error again, so a resumed run reports it as the run that died
 * would have: same code, message, details and cause summary; a `NonRetryableError` (journaled
 * with `details.retryable: false`) comes back as one.
 */
function fromJson(json: EchelonErrorJson | null): EchelonError {
  if (json === null) return new EchelonError(CoreErrorCode.TASK_FAILED, "The task failed before the crash.");
  const cause = causeFromJson(json.cause);
  if (json.details?.retryable === false) {
    return new NonRetryableError(json.message, {
      code: json.code,
      details: json.details,
      ...(cause !== undefined ? { cause } : {}),
    });
  }
  return new EchelonError(json.code, json.message, {
    ...(json.details !== undefined ? { details: json.details } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

/**
 * A run's journal, folded, as a resumed run reads it: tasks that completed (or completed and
 * were compensated) give back their recorded output, tasks that failed their recorded error,
 * so patterns re-reach exactly the point where the run stopped without running finished work
 * again; anything else (running, waiting, cancelled by the crash's abort) runs again, with
 * the same path and so the same idempotency key. Compensations that completed are not run
 * again either.
 */
export class ReplayLog {
  /** The run's state after its journal (outputs detached from it); the resumed run goes on from it. */
  readonly state: RunState;
  /** The reason of the last journaled `orchestration:cancelling`, or `null` when none was journaled. */
  readonly cancelReason: string | null;
  private readonly done = new Map<string, ReplayedTask>();
  private readonly undone = new Set<string>();
  private readonly startedComposites = new Set<string>();

  /**
   * @param state - the run's journal folded with its outputs kept (`createRunState(…, { keepOutputs: true })`)
   * @param cancelReason - the reason of the last journaled `orchestration:cancelling`, or `null`
   */
  constructor(state: RunState, cancelReason: string | null = null) {
    this.state = state;
    this.cancelReason = cancelReason;
    const outputs = this.state.outputs ?? {};
    for (const path in this.state.tasks) {
      const task = this.state.tasks[path]!;
      if (task.kind === "composite" && task.startedAt !== null) this.startedComposites.add(path);
      if (task.state === "completed" || task.state === "compensated") {
        this.done.set(path, { kind: "output", output: outputs[path] ?? null });
      } else if (task.state === "failed") {
        this.done.set(path, { kind: "failure", error: fromJson(task.error) });
      }
      if (task.state === "compensated") this.undone.add(path);
    }
    // The live run does not keep outputs from here on (they would only use memory).
    this.state.outputs = null;
  }

  /** How the task at `path` ended before the resume, when it ended in a way a resume keeps. */
  finished(path: string): ReplayedTask | undefined {
    return this.done.get(path);
  }

  /** The children the node at `path` made at run time before the resume, if it expanded. */
  expansion(path: string): RunExpansion | undefined {
    return this.state.expansions[path];
  }

  /** True when the composite at `path` had started (its coordinator held a slot) before the resume. */
  startedComposite(path: string): boolean {
    return this.startedComposites.has(path);
  }

  /** True when the task at `path` was recorded as compensated before the resume. */
  compensated(path: string): boolean {
    return this.undone.has(path);
  }
}

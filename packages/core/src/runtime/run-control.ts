import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { abortError, type LinkedController, linkedController, onAbort } from "../util/abort.js";

/** Abort reason for work left behind when an orchestration finishes (one shared error: no stack per run). */
const FINISHED = new EchelonError(
  CoreErrorCode.CANCELLED,
  "The orchestration finished; remaining work was stopped.",
);

/**
 * The controls of one run: its signal, cancel, stop (a plugin's coded reason), pause and
 * resume. Holds no status; the run records what the controls did.
 */
export class RunControl {
  private readonly abort: LinkedController;
  private stopReason: EchelonError | null = null;
  private paused = false;
  private resumeWaiters: Array<() => void> = [];
  private neverAborted: AbortSignal | null = null;

  /** @param signal - the caller's signal; aborting it cancels the run */
  constructor(signal?: AbortSignal) {
    this.abort = linkedController(signal);
  }

  /** Aborted when the run is cancelled or stopped (and, after the end, for left-behind work). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** A signal that is never aborted: compensations run under it (made on first use). */
  get uncancellable(): AbortSignal {
    this.neverAborted ??= new AbortController().signal;
    return this.neverAborted;
  }

  /** The coded reason a plugin stopped the run with, or `null`. */
  get stopped(): EchelonError | null {
    return this.stopReason;
  }

  /** True while dispatch of new leaves is paused. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Cancels: aborts the signal with `ECHELON_CANCELLED`. False when already aborted. */
  cancel(orchestrationId: string, reason?: string): boolean {
    if (this.signal.aborted) return false;
    this.abort.controller.abort(
      new EchelonError(
        CoreErrorCode.CANCELLED,
        reason ?? `Orchestration "${orchestrationId}" was cancelled.`,
        {
          details: { orchestrationId },
        },
      ),
    );
    this.wakeAll();
    return true;
  }

  /** Stops with a plugin's coded reason. False when already aborted. */
  stop(error: EchelonError): boolean {
    if (this.signal.aborted) return false;
    this.stopReason = error;
    this.abort.controller.abort(error);
    this.wakeAll();
    return true;
  }

  /** Pauses dispatch. False when already paused. */
  pause(): boolean {
    if (this.paused) return false;
    this.paused = true;
    return true;
  }

  /** Resumes dispatch. False when not paused. */
  resume(): boolean {
    if (!this.paused) return false;
    this.wakeAll();
    return true;
  }

  /** `undefined` unless paused; then a promise that resolves on resume (or rejects when `signal` aborts). */
  waitIfPaused(signal: AbortSignal): Promise<void> | undefined {
    if (!this.paused) return undefined;
    return new Promise<void>((resolve, reject) => {
      const off = onAbort(signal, () => reject(abortError(signal)));
      this.resumeWaiters.push(() => {
        off();
        resolve();
      });
    });
  }

  /** Ends the run: work still running or waiting is stopped, links are released. */
  finish(): void {
    if (!this.signal.aborted) this.abort.controller.abort(FINISHED);
    this.abort.dispose();
    this.wakeAll();
  }

  private wakeAll(): void {
    this.paused = false;
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const wake of waiters) wake();
  }
}

import { CoreErrorCode, EchelonError, type EchelonErrorJson } from "@echelon/core";
import type { WorkOutcome } from "./run-work.js";
import type { BackgroundKind, BackgroundState, BackgroundStatus, SpawnRequest } from "./types.js";

/** The mutable record of one background run, owned by the executor. */
export class BackgroundRun {
  state: BackgroundState = "queued";
  progress = 0;
  message: string | null = null;
  readonly createdAt = Date.now();
  startedAt: number | null = null;
  endedAt: number | null = null;
  result: unknown = null;
  error: EchelonErrorJson | null = null;
  /** Aborts the work; set while it runs. */
  controller: AbortController | null = null;
  timer: NodeJS.Timeout | null = null;
  timedOut = false;
  terminateRequested = false;
  holdsSlot = false;
  /** Disposes the agent spawned for this run (kills its process or thread); set while it runs. */
  stopAgent: (() => Promise<void>) | null = null;
  readonly done: Promise<void>;
  private resolveDone!: () => void;

  constructor(
    readonly id: string,
    readonly kind: BackgroundKind,
    readonly name: string,
    readonly request: SpawnRequest,
  ) {
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /**
   * Moves to `running`: creates the abort controller and arms the run's timeout.
   *
   * @param onTimeout - called with the timeout error right after the timeout aborted the work
   */
  begin(onTimeout: (reason: EchelonError) => void): AbortSignal {
    this.state = "running";
    this.startedAt = Date.now();
    const controller = new AbortController();
    this.controller = controller;
    const { timeoutMs } = this.request;
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        const reason = new EchelonError(
          CoreErrorCode.TASK_TIMEOUT,
          `Background run "${this.id}" exceeded its ${timeoutMs} ms timeout. Raise timeoutMs or make the work faster.`,
          { details: { timeoutMs } },
        );
        controller.abort(reason);
        onTimeout(reason);
      }, timeoutMs);
    }
    return controller.signal;
  }

  /** Records progress reported by the agent (0..1, clamped) as a percentage. */
  setProgress(progress: number, message?: string): void {
    this.progress = Math.round(Math.min(1, Math.max(0, Number.isFinite(progress) ? progress : 0)) * 100);
    if (message !== undefined) this.message = message;
  }

  /** True once completed, failed or terminated. */
  get finished(): boolean {
    return this.state === "completed" || this.state === "failed" || this.state === "terminated";
  }

  /** Moves to a final state with the outcome of the work (or a termination error). */
  finish(state: "completed" | "failed" | "terminated", outcome: WorkOutcome | EchelonErrorJson): void {
    this.state = state;
    this.endedAt = Date.now();
    if ("ok" in outcome) {
      if (outcome.ok) {
        this.result = outcome.value;
        this.progress = 100;
      } else {
        this.error = outcome.error;
        if (outcome.value !== undefined) this.result = outcome.value;
      }
    } else this.error = outcome;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopAgent = null;
    this.resolveDone();
  }

  /** A JSON snapshot; `progress` overrides the stored value (live orchestration status). */
  snapshot(progress = this.progress): BackgroundStatus {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      state: this.state,
      progress,
      message: this.message,
      createdAt: this.createdAt,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      result: this.result,
      error: this.error,
    };
  }
}

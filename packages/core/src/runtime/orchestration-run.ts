import type { EchelonError } from "../errors/echelon-error.js";
import type { OrchestrationResult, OrchestrationStatus } from "../model/result.js";
import type { Plan } from "../model/task.js";
import type { PatternOutcome } from "../patterns/pattern.js";
import type { RunStateOptions } from "../run-state/run-state.js";
import type { ReplayLog } from "./replay-log.js";
import { ResumeCancel } from "./resume-cancel.js";
import { isFinalState } from "../run-state/run-state.js";
import { runStatus } from "../run-state/status-view.js";
import { buildResult } from "./result-builder.js";
import { RunControl } from "./run-control.js";
import { RunMeter } from "./run-meter.js";
import { RunRecorder } from "./run-recorder.js";
import type { Runtime } from "./runtime.js";

/** Options of an {@link OrchestrationRun}. */
export interface RunOptions extends RunStateOptions {
  /** The journal of the run being resumed: its state and the outputs of finished tasks. */
  readonly resumeFrom?: ReplayLog;
}

/**
 * One orchestration: its id, plan and runtime, and the parts that do the work — controls
 * (cancel, stop, pause), the recorder (events → state, journal, bus) and the meter. Internal.
 */
export class OrchestrationRun {
  readonly control: RunControl;
  /** What a resumed run finds in its journal: finished tasks are not run again. */
  readonly replay: ReplayLog | null;
  readonly recorder: RunRecorder;
  readonly meter = new RunMeter();
  private currentPlan: Plan | null = null;
  private readonly startTs = performance.now();
  private outcome: Promise<OrchestrationResult> | null = null;
  private lastRootOutcome: PatternOutcome | null = null;
  private cancelOnResume: ResumeCancel | null = null;

  /**
   * @param id - orchestration id
   * @param runtime - what the run shares with others
   * @param signal - the caller's signal (cancels the run)
   * @param options - `keepOutputs`: keep every task's output in the state (PatternExecutor)
   */
  constructor(
    readonly id: string,
    readonly runtime: Runtime,
    signal?: AbortSignal,
    options: RunOptions = {},
  ) {
    this.control = new RunControl(signal);
    this.recorder = new RunRecorder(id, runtime, options, options.resumeFrom?.state);
    this.recorder.onJournalFailure = (error) => this.stop(error);
    this.replay = options.resumeFrom ?? null;
  }

  /** The run's signal (cancel, stop). */
  get signal(): AbortSignal {
    return this.control.signal;
  }

  /** The plan, once the run started. */
  get plan(): Plan | null {
    return this.currentPlan;
  }

  /** The folded state of the run. */
  get state() {
    return this.recorder.state;
  }

  /** True until the run reached a terminal state. */
  get active(): boolean {
    return !isFinalState(this.recorder.state.state);
  }

  /** The promise of the run's result, once it runs. */
  get settled(): Promise<OrchestrationResult> | null {
    return this.outcome;
  }

  /** What the root's pattern returned (status, details), when the root is composite and returned. */
  get rootOutcome(): PatternOutcome | null {
    return this.lastRootOutcome;
  }

  /** Keeps what the root's pattern returned. */
  noteRootOutcome(outcome: PatternOutcome): void {
    this.lastRootOutcome = outcome;
  }

  /** Remembers the promise of the run's result. */
  settle(outcome: Promise<OrchestrationResult>): void {
    this.outcome = outcome;
  }

  /** The live status. */
  status(): OrchestrationStatus {
    return runStatus(this.recorder.state);
  }

  /** Records the start of the plan's execution (or, resumed, that its journal was picked up by `owner`). */
  start(plan: Plan, owner?: string): void {
    this.currentPlan = plan;
    if (this.replay !== null) {
      this.recorder.record("orchestration:recovered", plan.root.path, {
        owner: owner ?? "",
        startedAtEpochMs: Date.now(),
      });
      return;
    }
    this.recorder.record("orchestration:started", plan.root.path, {
      taskId: plan.taskId,
      plan,
      levels: this.runtime.levels,
      startedAtEpochMs: Date.now(),
    });
  }

  /** Resumed while cancelling: how nodes the journal does not hold as finished are let in. */
  get resumeCancel(): ResumeCancel | null {
    return this.cancelOnResume;
  }

  /**
   * Resumed: finishes the cancel that was under way when the journal stopped (`journaled`), or
   * that another process requested while no process held the run (journaled now). Nothing new
   * starts; composites that had started re-reach their point and compensate (see {@link ResumeCancel}).
   */
  cancelResumed(reason: string, journaled: boolean): void {
    if (this.replay === null || this.cancelOnResume !== null) return;
    if (journaled) this.control.cancel(this.id, reason);
    else this.cancel(reason);
    this.cancelOnResume = new ResumeCancel(this.replay, this.signal);
  }

  /** Cancels the run (journaled first, so a resume after a crash finishes the cancel). */
  cancel(reason?: string): boolean {
    if (!this.active || this.signal.aborted) return false;
    const why = reason ?? `Orchestration "${this.id}" was cancelled.`;
    this.recorder.record("orchestration:cancelling", this.currentPlan?.root.path ?? "", { reason: why });
    return this.control.cancel(this.id, why);
  }

  /** Stops the run with a plugin's coded reason (running work aborted, the result fails with it). */
  stop(error: EchelonError): boolean {
    return this.active && this.control.stop(error);
  }

  /** Pauses dispatch of new leaves. */
  pause(): boolean {
    if (!this.active || !this.control.pause()) return false;
    this.recorder.record("orchestration:paused", "", {});
    return true;
  }

  /** Resumes dispatch. */
  resume(): boolean {
    if (!this.control.resume()) return false;
    if (this.active) this.recorder.record("orchestration:resumed", "", {});
    return true;
  }

  /** Builds the result, records the terminal event and stops what was left behind. */
  finish(output: unknown, failure: unknown): OrchestrationResult {
    const wallMs = performance.now() - this.startTs;
    const state = this.recorder.state;
    const result = buildResult({
      orchestrationId: this.id,
      plan: this.currentPlan,
      ending: { output, failure, stopped: this.control.stopped, signal: this.signal },
      state,
      metrics: this.meter.measure(wallMs, state, this.currentPlan, this.runtime),
      agentsUsed: this.meter.agentsUsed,
      levelsDeep: this.meter.levelsDeep,
      extra: this.summarizeEnrichers(),
    });
    const type =
      result.state === "completed"
        ? "orchestration:completed"
        : result.state === "cancelled"
          ? "orchestration:cancelled"
          : "orchestration:failed";
    this.recorder.record(type, this.currentPlan?.root.path ?? "", { result });
    this.control.finish();
    return result;
  }

  private summarizeEnrichers(): Record<string, unknown> {
    const extra: Record<string, unknown> = {};
    for (const { value: enricher, plugin } of this.runtime.enrichers) {
      try {
        const value = enricher.summarize(this.id);
        if (value !== undefined) extra[enricher.key] = value;
      } catch (error) {
        this.recorder.hookFailed(plugin, "summarize", error);
      }
    }
    return extra;
  }
}

import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { EchelonEvent, EchelonEventMap, EchelonEventName } from "../events/event-map.js";
import { computeCoordinationOverhead, computeLowerBound, criticalPathMs } from "../metrics/overhead.js";
import type { OrchestrationResult, OrchestrationState } from "../model/result.js";
import type { Plan } from "../model/task.js";
import { abortError, type LinkedController, linkedController, onAbort } from "../util/abort.js";
import type { Runtime } from "./runtime.js";
import { StatusTracker } from "./status-tracker.js";

/** Abort reason for work left behind when an orchestration finishes (one shared, immutable error: no stack capture per run). */
const FINISHED = new EchelonError(
  CoreErrorCode.CANCELLED,
  "The orchestration finished; remaining work was stopped.",
);

/** State of one orchestration while it runs and after. Internal. */
export class OrchestrationRun {
  readonly tracker = new StatusTracker();
  readonly abort: LinkedController;
  private neverAborted: AbortSignal | null = null;
  private stopReason: EchelonError | null = null;
  readonly agentsUsed = new Set<string>();
  plan: Plan | null = null;
  deepest = 0;
  /** Level index → agent types that ran leaves there. */
  private readonly leafLevels = new Map<number, Set<string>>();
  private runningLeaves = 0;
  private peakLeaves = 0;
  private paused = false;
  private resumeWaiters: Array<() => void> = [];
  private readonly startTs = performance.now();
  settled: Promise<OrchestrationResult> | null = null;

  constructor(
    readonly id: string,
    readonly runtime: Runtime,
    signal?: AbortSignal,
  ) {
    this.abort = linkedController(signal);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** A signal that is never aborted: compensations run under it (made on first use). */
  get uncancellable(): AbortSignal {
    this.neverAborted ??= new AbortController().signal;
    return this.neverAborted;
  }

  /** True while the orchestration has not reached a terminal state. */
  get active(): boolean {
    const s = this.tracker.state;
    return s === "pending" || s === "running" || s === "paused";
  }

  /** Builds an event, applies it to the status, journals it and publishes it. */
  record<K extends EchelonEventName>(type: K, nodePath: string, payload: EchelonEventMap[K]): void {
    const event = {
      type,
      orchestrationId: this.id,
      nodePath,
      ts: performance.now(),
      ...payload,
    } as unknown as EchelonEvent;
    this.publish(event);
  }

  /** Applies a fully built event to the status, journals it and publishes it (hot path). */
  publish(event: EchelonEvent): void {
    this.tracker.apply(event);
    const { store, events, enrichers } = this.runtime;
    if (store !== null) {
      try {
        store.append(event);
      } catch (error) {
        this.runtime.logger.error("event store append failed", { message: String(error) });
      }
    }
    for (const enricher of enrichers) {
      try {
        enricher.observe?.(event);
      } catch (error) {
        this.runtime.logger.error("result enricher failed", { key: enricher.key, message: String(error) });
      }
    }
    events.publish(event);
  }

  /** Marks the start of the plan's execution. */
  start(plan: Plan): void {
    this.plan = plan;
    this.record("orchestration:started", plan.root.path, {
      taskId: plan.taskId,
      plan,
      levels: this.runtime.levels,
      startedAtEpochMs: Date.now(),
    });
  }

  /** Stops dispatching new leaves. */
  pause(): boolean {
    if (!this.active || this.paused) return false;
    this.paused = true;
    this.record("orchestration:paused", "", {});
    return true;
  }

  /** Lets leaves be dispatched again. */
  resume(): boolean {
    if (!this.paused) return false;
    this.paused = false;
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    if (this.active) this.record("orchestration:resumed", "", {});
    for (const wake of waiters) wake();
    return true;
  }

  /** Resolves at once unless paused; then when resumed (or rejects when `signal` aborts). */
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

  /**
   * Stops the orchestration because a plugin or agent says it cannot go on (a spent budget):
   * running work is aborted with `error` as the reason, nothing new starts, and the result
   * fails with `error`, keeping what completed.
   */
  stop(error: EchelonError): boolean {
    if (!this.active || this.signal.aborted) return false;
    this.stopReason = error;
    this.abort.controller.abort(error);
    this.resume();
    return true;
  }

  /** Cancels the orchestration. */
  cancel(reason?: string): boolean {
    if (!this.active || this.signal.aborted) return false;
    this.abort.controller.abort(
      new EchelonError(CoreErrorCode.CANCELLED, reason ?? `Orchestration "${this.id}" was cancelled.`, {
        details: { orchestrationId: this.id },
      }),
    );
    this.resume();
    return true;
  }

  /** Notes that a leaf started running at `levelIndex` on an agent of `agentType`. */
  leafStarted(levelIndex: number, agentType: string): void {
    let types = this.leafLevels.get(levelIndex);
    if (types === undefined) {
      types = new Set();
      this.leafLevels.set(levelIndex, types);
    }
    types.add(agentType);
    this.runningLeaves++;
    if (this.runningLeaves > this.peakLeaves) this.peakLeaves = this.runningLeaves;
  }

  /** Notes that a leaf attempt ended after `busyMs` of agent work. */
  leafEnded(invocationPath: string, busyMs: number): void {
    this.runningLeaves--;
    this.tracker.addBusy(invocationPath, busyMs);
  }

  /** Notes that a node at `depth` started. */
  reached(depth: number): void {
    if (depth > this.deepest) this.deepest = depth;
  }

  /** Builds the final result and records the terminal event. */
  finish(output: unknown, failure: unknown): OrchestrationResult {
    const wallMs = performance.now() - this.startTs;
    const stopped = this.stopReason;
    const error =
      stopped !== null
        ? stopped
        : failure === undefined
          ? null
          : this.signal.aborted &&
              !(failure instanceof EchelonError && failure.code !== CoreErrorCode.CANCELLED)
            ? abortError(this.signal, "The orchestration")
            : toEchelonError(failure, CoreErrorCode.TASK_FAILED);
    const state: OrchestrationState =
      error === null
        ? "completed"
        : stopped !== null
          ? "failed"
          : error.code === CoreErrorCode.CANCELLED || this.signal.aborted
            ? "cancelled"
            : "failed";
    const metrics = this.measure(wallMs);
    const extra: Record<string, unknown> = {};
    for (const enricher of this.runtime.enrichers) {
      try {
        const value = enricher.summarize(this.id);
        if (value !== undefined) extra[enricher.key] = value;
      } catch (e) {
        this.runtime.logger.error("result enricher failed", { key: enricher.key, message: String(e) });
      }
    }
    const t = this.tracker;
    const result: OrchestrationResult = {
      taskId: this.plan?.taskId ?? "",
      orchestrationId: this.id,
      success: error === null,
      state,
      // A run stopped by a plugin keeps what its root still returned (e.g. a partial map-reduce).
      result: error === null || stopped !== null ? (output ?? null) : null,
      executionTime: wallMs / 1000,
      agentsUsed: this.agentsUsed.size,
      levelsDeep: this.plan === null ? 0 : this.deepest + 1,
      coordinationOverhead: computeCoordinationOverhead(wallMs, metrics.lowerBoundMs),
      errorMessage: error?.message ?? null,
      error: error?.toJSON() ?? null,
      metadata: {
        patternsUsed: [...t.patternsUsed],
        totalTasks: t.totalTasks,
        completedTasks: t.completedTasks,
        failedTasks: t.failedTasks,
        cancelledTasks: t.cancelledTasks,
        compensatedTasks: t.compensatedTasks,
        skippedTasks: t.skippedTasks,
        retries: t.retries,
        planSource: this.plan?.source ?? "",
        metrics,
        extra,
      },
    };
    const type =
      state === "completed"
        ? "orchestration:completed"
        : state === "cancelled"
          ? "orchestration:cancelled"
          : "orchestration:failed";
    this.record(type, this.plan?.root.path ?? "", { result });
    // Work a pattern left behind (running stragglers, tasks still waiting for a slot) is stopped now.
    if (!this.signal.aborted) {
      this.abort.controller.abort(FINISHED);
    }
    this.abort.dispose();
    this.resume();
    return result;
  }

  private measure(wallMs: number) {
    const { totalMs: totalBusyMs, lookup } = this.tracker.busyTimes();
    const patterns = this.runtime.patterns;
    const criticalPath =
      this.plan === null
        ? 0
        : criticalPathMs(this.plan.root, lookup, (name) => patterns.get(name)?.ordering ?? "parallel");
    let leafSlots = 0;
    for (const [level, types] of this.leafLevels) leafSlots += this.runtime.hierarchy.leafSlots(level, types);
    const lowerBoundMs = computeLowerBound(criticalPath, totalBusyMs, leafSlots);
    return {
      wallMs,
      lowerBoundMs,
      criticalPathMs: criticalPath,
      totalBusyMs,
      leafSlots: Math.max(1, leafSlots),
      peakConcurrency: this.peakLeaves,
    };
  }
}

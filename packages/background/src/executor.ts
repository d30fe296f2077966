import { randomUUID } from "node:crypto";
import {
  CoreErrorCode,
  EchelonError,
  type EchelonErrorJson,
  isEchelonError,
  type Logger,
  silentLogger,
} from "@echelon/core";
import { BackgroundRun } from "./background-run.js";
import { BackgroundErrorCode } from "./errors.js";
import { ignoredAbortError, settledWithin } from "./grace.js";
import { checkSpawnRequest, nonNegativeInteger, positiveInteger, runName } from "./spawn-request.js";
import { runAgentWork, runOrchestrationWork, type WorkOutcome } from "./run-work.js";
import { BackgroundEmitter, type BackgroundListener } from "./typed-emitter.js";
import type {
  BackgroundEventName,
  BackgroundExecutorOptions,
  BackgroundOrchestrator,
  BackgroundStatus,
  SpawnRequest,
  TerminateOptions,
} from "./types.js";

/**
 * Runs agents and orchestrations in the background, at most `maxParallel` at once (the rest
 * queue in order), with status, progress, pause/resume and termination by id.
 *
 * Pause semantics: a queued run that is paused does not start until resumed. A running
 * orchestration is paused through the orchestrator (no new leaves are dispatched; running
 * leaves finish) and keeps its slot. A running single agent task cannot be paused — an
 * agent has no pause point — so `pauseAgent` refuses with `ECHELON_BACKGROUND_NOT_PAUSABLE`;
 * terminate it or let it finish.
 *
 * @example
 * ```ts
 * const executor = new BackgroundAgentExecutor({ maxParallel: 2, orchestrator });
 * const id = executor.spawnBackgroundAgent({ orchestration: spec });
 * executor.on("background:completed", (status) => console.log(status.id, status.result));
 * ```
 */
export class BackgroundAgentExecutor {
  private readonly runs = new Map<string, BackgroundRun>();
  private readonly emitter: BackgroundEmitter;
  private readonly maxParallel: number;
  private readonly retainFinished: number;
  private readonly terminateGraceMs: number;
  private readonly orchestrator: BackgroundOrchestrator | undefined;
  private readonly logger: Logger;
  private readonly unsubscribe: Array<() => void> = [];
  private active = 0;
  private closed = false;

  /**
   * @param options - parallelism, orchestrator, retention, logger, grace period of aborts
   * @throws EchelonError `ECHELON_CONFIG_INVALID` for a non-positive `maxParallel` or
   * `retainFinished`, or a negative `terminateGraceMs`
   */
  constructor(options: BackgroundExecutorOptions = {}) {
    this.maxParallel = positiveInteger("maxParallel", options.maxParallel, 4);
    this.retainFinished = positiveInteger("retainFinished", options.retainFinished, 1000);
    this.terminateGraceMs = nonNegativeInteger("terminateGraceMs", options.terminateGraceMs, 1000);
    this.orchestrator = options.orchestrator;
    this.logger = options.logger ?? silentLogger;
    this.emitter = new BackgroundEmitter(this.logger);
    const events = this.orchestrator?.events;
    if (events) {
      const onTask = (event: { orchestrationId: string }) => {
        const run = this.runs.get(event.orchestrationId);
        if (run?.kind === "orchestration" && !run.finished)
          this.emitter.emit("background:progressed", this.status(run));
      };
      this.unsubscribe.push(events.on("task:completed", onTask), events.on("task:failed", onTask));
    }
  }

  /**
   * Subscribes to an executor event.
   *
   * @returns a function that unsubscribes
   */
  on<K extends BackgroundEventName>(event: K, listener: BackgroundListener<K>): () => void {
    return this.emitter.on(event, listener);
  }

  /**
   * Starts (or queues) one agent task or one orchestration in the background.
   *
   * @param request - `agent` with an optional `task`/`workflowData`, or `orchestration` (or `task` alone)
   * @returns the run's id (also the orchestration id)
   * @throws EchelonError `ECHELON_BACKGROUND_REQUEST_INVALID`, `ECHELON_BACKGROUND_DUPLICATE_ID`,
   * `ECHELON_BACKGROUND_NO_ORCHESTRATOR`, `ECHELON_ORCHESTRATOR_SHUT_DOWN` (after `shutdown()`)
   */
  spawnBackgroundAgent(request: SpawnRequest): string {
    if (this.closed)
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATOR_SHUT_DOWN,
        "The background executor was shut down; create a new one.",
      );
    const kind = checkSpawnRequest(request, this.orchestrator !== undefined);
    const id = request.id ?? randomUUID();
    if (this.runs.has(id)) {
      throw new EchelonError(
        BackgroundErrorCode.DUPLICATE_ID,
        `spawnBackgroundAgent: id "${id}" is already in use; pass another id.`,
        {
          details: { id },
        },
      );
    }
    const run = new BackgroundRun(id, kind, runName(request), request);
    this.runs.set(id, run);
    this.emitter.emit("background:queued", run.snapshot());
    this.pump();
    return id;
  }

  /**
   * The status of one run, with live progress for orchestrations.
   *
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`
   */
  getAgentStatus(id: string): BackgroundStatus {
    return this.status(this.require(id));
  }

  /** The status of every known run, oldest first. */
  getAllAgentsStatus(): BackgroundStatus[] {
    return [...this.runs.values()].map((run) => this.status(run));
  }

  /**
   * Waits until a run has finished (completed, failed or terminated).
   *
   * @returns its final status
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`
   */
  async waitForAgent(id: string): Promise<BackgroundStatus> {
    const run = this.require(id);
    await run.done;
    return run.snapshot();
  }

  /**
   * Terminates a run: a queued or paused-before-start run ends at once; a running one has its
   * signal aborted (an orchestration is cancelled) and ends `terminated` when its work
   * settles, or — if the work ignores the abort — when the grace period (`graceMs`, else the
   * executor's `terminateGraceMs`) has passed: then its slot is freed, its late answer is
   * discarded and an agent the executor spawned from an AgentType is disposed (its process
   * or thread killed). With `force` the run ends at once, without waiting or disposing.
   * Terminating a finished run changes nothing.
   *
   * @returns the status after termination
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`; `ECHELON_CONFIG_INVALID` for a negative `graceMs`
   */
  async terminateAgent(id: string, options: TerminateOptions = {}): Promise<BackgroundStatus> {
    const run = this.require(id);
    const graceMs = nonNegativeInteger("graceMs", options.graceMs, this.terminateGraceMs);
    if (run.finished) return run.snapshot();
    const error = new EchelonError(CoreErrorCode.CANCELLED, `Background run "${id}" was terminated.`, {
      details: { id },
    });
    if (run.startedAt === null) {
      this.end(run, "terminated", error.toJSON());
      return run.snapshot();
    }
    run.terminateRequested = true;
    run.controller?.abort(error);
    if (options.force) this.end(run, "terminated", error.toJSON());
    else await this.endWithin(run, graceMs, "terminated", error);
    return run.snapshot();
  }

  /**
   * Pauses a run: a queued run will not start until resumed; a running orchestration stops
   * dispatching new leaves. Pausing a paused run changes nothing.
   *
   * @returns the status after pausing
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`; `ECHELON_BACKGROUND_NOT_PAUSABLE` for a
   * running single agent task; `ECHELON_BACKGROUND_INVALID_STATE` for a finished run
   */
  pauseAgent(id: string): BackgroundStatus {
    const run = this.require(id);
    if (run.state === "paused") return this.status(run);
    if (run.finished) throw this.invalidState(run, "pause");
    if (run.state === "running") {
      if (run.kind === "agent") {
        throw new EchelonError(
          BackgroundErrorCode.NOT_PAUSABLE,
          `Background run "${id}" is a single agent task that is already running; it cannot be paused. Terminate it or wait for it.`,
          { details: { id } },
        );
      }
      if (!this.orchestrator!.pauseOrchestration(id)) throw this.invalidState(run, "pause");
    }
    run.state = "paused";
    this.emitter.emit("background:paused", this.status(run));
    return this.status(run);
  }

  /**
   * Resumes a paused run: a run paused before it started queues again; a paused orchestration
   * dispatches leaves again.
   *
   * @returns the status after resuming
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`; `ECHELON_BACKGROUND_INVALID_STATE` when not paused
   */
  resumeAgent(id: string): BackgroundStatus {
    const run = this.require(id);
    if (run.state !== "paused") throw this.invalidState(run, "resume");
    if (run.startedAt === null) run.state = "queued";
    else {
      this.orchestrator!.resumeOrchestration(id);
      run.state = "running";
    }
    this.emitter.emit("background:resumed", this.status(run));
    this.pump();
    return this.status(run);
  }

  /**
   * Refuses new runs, terminates queued ones, aborts running ones and waits for them (or not,
   * with `force`). Does not shut the orchestrator down: it belongs to the caller.
   */
  async shutdown(options: TerminateOptions = {}): Promise<void> {
    this.closed = true;
    const waits = [...this.runs.values()]
      .filter((run) => !run.finished)
      .map((run) => this.terminateAgent(run.id, options));
    await Promise.all(waits);
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
  }

  private require(id: string): BackgroundRun {
    const run = this.runs.get(id);
    if (run === undefined) {
      throw new EchelonError(
        BackgroundErrorCode.UNKNOWN_ID,
        `No background run "${id}" is known (finished runs are kept for the last ${this.retainFinished}).`,
        {
          details: { id },
        },
      );
    }
    return run;
  }

  private invalidState(run: BackgroundRun, operation: string): EchelonError {
    return new EchelonError(
      BackgroundErrorCode.INVALID_STATE,
      `Cannot ${operation} background run "${run.id}": it is ${run.state}.`,
      {
        details: { id: run.id, state: run.state, operation },
      },
    );
  }

  private status(run: BackgroundRun): BackgroundStatus {
    if (run.kind !== "orchestration" || run.startedAt === null || run.finished) return run.snapshot();
    try {
      run.progress = this.orchestrator!.getOrchestrationStatus(run.id).progress;
    } catch (error) {
      // Already forgotten by the orchestrator: the last known progress stands.
      if (!isEchelonError(error, CoreErrorCode.ORCHESTRATION_UNKNOWN)) throw error;
    }
    return run.snapshot();
  }

  private pump(): void {
    for (const run of this.runs.values()) {
      if (this.active >= this.maxParallel || this.closed) return;
      if (run.state === "queued") this.start(run);
    }
  }

  /**
   * Waits for the run's work to settle after an abort; work that ignores the abort for
   * `graceMs` is left behind: the run ends `state` with `reason`, and the agent spawned for
   * it is disposed.
   */
  private async endWithin(
    run: BackgroundRun,
    graceMs: number,
    state: "terminated" | "failed",
    reason: EchelonError,
  ): Promise<void> {
    if ((await settledWithin(run.done, graceMs)) || run.finished) return;
    const stopAgent = run.stopAgent;
    const escalated = ignoredAbortError(reason, graceMs, stopAgent !== null);
    this.end(run, state, escalated.toJSON());
    if (stopAgent) {
      stopAgent().catch((error: unknown) =>
        this.logger.warn("background agent dispose failed", {
          id: run.id,
          message: error instanceof Error ? error.message : String(error),
        }),
      );
    }
  }

  private start(run: BackgroundRun): void {
    const signal = run.begin((reason) => void this.endWithin(run, this.terminateGraceMs, "failed", reason));
    run.holdsSlot = true;
    this.active++;
    this.emitter.emit("background:started", run.snapshot());
    const report = (progress: number, message?: string) => {
      if (run.finished) return;
      run.setProgress(progress, message);
      this.emitter.emit("background:progressed", run.snapshot());
    };
    const work =
      run.kind === "agent"
        ? runAgentWork({
            id: run.id,
            request: run.request,
            signal,
            report,
            logger: this.logger,
            onSpawned: (dispose) => {
              run.stopAgent = dispose;
            },
          })
        : runOrchestrationWork(run.id, run.request, this.orchestrator!, signal);
    void work.then((outcome) => this.settle(run, outcome));
  }

  private settle(run: BackgroundRun, outcome: WorkOutcome): void {
    if (run.finished) return; // force-terminated earlier: the late outcome is discarded
    if (run.terminateRequested) {
      // Terminated work that still answered: the answer is discarded.
      this.end(
        run,
        "terminated",
        outcome.ok ? (run.controller!.signal.reason as EchelonError).toJSON() : outcome,
      );
    } else if (outcome.ok) this.end(run, "completed", outcome);
    else this.end(run, outcome.cancelled && !run.timedOut ? "terminated" : "failed", outcome);
  }

  private end(
    run: BackgroundRun,
    state: "completed" | "failed" | "terminated",
    outcome: WorkOutcome | EchelonErrorJson,
  ): void {
    if (run.holdsSlot) {
      run.holdsSlot = false;
      this.active--;
    }
    run.finish(state, outcome);
    this.emitter.emit(`background:${state}`, run.snapshot());
    this.forgetOld();
    this.pump();
  }

  private forgetOld(): void {
    let finished = 0;
    for (const run of this.runs.values()) if (run.finished) finished++;
    for (const [id, run] of this.runs) {
      if (finished <= this.retainFinished) return;
      if (!run.finished) continue;
      this.runs.delete(id);
      finished--;
    }
  }
}

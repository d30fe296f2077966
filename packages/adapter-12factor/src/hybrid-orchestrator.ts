import { BackgroundAgentExecutor, type BackgroundStatus, type TerminateOptions } from "@echelon/background";
import {
  CoreErrorCode,
  EchelonError,
  type HierarchicalOrchestrator,
  type OrchestrationStatus,
  type TaskSpec,
} from "@echelon/core";
import { OrchestrationEnabledAgent } from "./orchestration-agent.js";
import { twelveFactorAgent } from "./twelve-factor-agent.js";

/** Options of {@link HybridOrchestrator}. */
export interface HybridOrchestratorOptions {
  /** The orchestrator that runs the orchestrations. */
  readonly orchestrator: HierarchicalOrchestrator;
  /** Background executor to use; one is created (and shut down with this object) when absent. */
  readonly executor?: BackgroundAgentExecutor;
  /** `maxParallel` of the executor created when none is given. Default 4. */
  readonly maxParallel?: number;
}

/** Options of {@link HybridOrchestrator.launch}. */
export interface HybridLaunchOptions {
  /** Id of the background run, also the orchestration id. Generated when absent. */
  readonly id?: string;
  /** Terminates the background agent (and so cancels its orchestration) after this many ms. */
  readonly timeoutMs?: number;
}

/** Status of one hybrid run: the background agent and, once started, its orchestration. */
export interface HybridStatus {
  /** The background run: state, progress, times, and the `OrchestrationResult` once settled. */
  readonly background: BackgroundStatus;
  /** The orchestration's status, or `null` while the orchestrator does not know it (not started yet, or forgotten). */
  readonly orchestration: OrchestrationStatus | null;
}

const TERMINAL = new Set(["completed", "failed", "terminated"]);

/**
 * The 12-Factor "hybrid" case: an orchestration launched inside a background agent. Each
 * {@link launch} spawns a background agent (an {@link OrchestrationEnabledAgent} under
 * {@link twelveFactorAgent}) on a `BackgroundAgentExecutor`; the agent runs the orchestration
 * and reports its progress, so the caller gets an id at once and polls, pauses, resumes or
 * terminates it. Terminating the background agent cancels the orchestration.
 *
 * @example
 * ```ts
 * const hybrid = new HybridOrchestrator({ orchestrator });
 * const id = hybrid.launch({ description: "hash files", pattern: "parallel", children });
 * const final = await hybrid.wait(id); // final.background.result is the OrchestrationResult
 * ```
 */
export class HybridOrchestrator {
  /** The executor the background agents run on. */
  readonly executor: BackgroundAgentExecutor;
  private readonly orchestrator: HierarchicalOrchestrator;
  private readonly ownsExecutor: boolean;

  /**
   * @param options - orchestrator, executor or its parallelism
   * @throws EchelonError `ECHELON_CONFIG_INVALID` without an orchestrator
   */
  constructor(options: HybridOrchestratorOptions) {
    if (typeof options?.orchestrator?.orchestrateComplexTask !== "function") {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        "HybridOrchestrator: options.orchestrator must be a HierarchicalOrchestrator.",
      );
    }
    this.orchestrator = options.orchestrator;
    this.ownsExecutor = options.executor === undefined;
    this.executor =
      options.executor ??
      new BackgroundAgentExecutor({
        ...(options.maxParallel !== undefined ? { maxParallel: options.maxParallel } : {}),
      });
  }

  /**
   * Starts a background agent that runs `task` as an orchestration.
   *
   * @param task - text or TaskSpec
   * @param options - id, timeout
   * @returns the id (background run and orchestration)
   * @throws EchelonError `ECHELON_BACKGROUND_*` from the executor (duplicate id, shut down)
   */
  launch(task: string | TaskSpec, options: HybridLaunchOptions = {}): string {
    const id = options.id ?? crypto.randomUUID();
    const description = typeof task === "string" ? task : task.description;
    return this.executor.spawnBackgroundAgent({
      id,
      agent: twelveFactorAgent(
        () =>
          new OrchestrationEnabledAgent({ orchestrator: this.orchestrator, name: "hybrid-orchestration" }),
        {
          capabilities: [],
          name: `hybrid:${id}`,
        },
      ),
      task: { description, metadata: { orchestrationId: id } },
      workflowData: typeof task === "string" ? null : task,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  /**
   * The background run's status and its orchestration's live status.
   *
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`
   */
  getStatus(id: string): HybridStatus {
    const background = this.executor.getAgentStatus(id);
    const orchestration = this.orchestrator.hasOrchestration(id)
      ? this.orchestrator.getOrchestrationStatus(id)
      : null;
    return { background, orchestration };
  }

  /**
   * Pauses: a queued run does not start; a running one's orchestration dispatches no new tasks.
   *
   * @returns true when something was paused
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`, `ECHELON_BACKGROUND_INVALID_STATE`
   */
  pause(id: string): boolean {
    const { state } = this.executor.getAgentStatus(id);
    if (state === "queued") return this.executor.pauseAgent(id).state === "paused";
    return this.orchestrator.pauseOrchestration(id);
  }

  /**
   * Resumes what {@link pause} paused.
   *
   * @returns true when something was resumed
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`, `ECHELON_BACKGROUND_INVALID_STATE`
   */
  resume(id: string): boolean {
    const { state } = this.executor.getAgentStatus(id);
    if (state === "paused") return this.executor.resumeAgent(id).state !== "paused";
    return this.orchestrator.resumeOrchestration(id);
  }

  /**
   * Terminates the background agent; its orchestration is cancelled through the agent's signal.
   *
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`
   */
  terminate(id: string, options: TerminateOptions = {}): Promise<BackgroundStatus> {
    return this.executor.terminateAgent(id, options);
  }

  /**
   * Resolves with the final status once the run completed, failed or was terminated.
   *
   * @throws EchelonError `ECHELON_BACKGROUND_UNKNOWN_ID`
   */
  wait(id: string): Promise<HybridStatus> {
    const now = this.executor.getAgentStatus(id);
    if (TERMINAL.has(now.state)) return Promise.resolve(this.getStatus(id));
    return new Promise((resolve) => {
      const offs: Array<() => void> = [];
      const done = (status: BackgroundStatus) => {
        if (status.id !== id) return;
        for (const off of offs) off();
        resolve(this.getStatus(id));
      };
      offs.push(
        this.executor.on("background:completed", done),
        this.executor.on("background:failed", done),
        this.executor.on("background:terminated", done),
      );
    });
  }

  /** Shuts the executor down when this object created it (running agents are terminated). */
  async shutdown(): Promise<void> {
    if (this.ownsExecutor) await this.executor.shutdown({ force: false });
  }
}

import { EchelonContainer } from "../di/container.js";
import { DECOMPOSER } from "../di/tokens.js";
import { EventBus } from "../events/event-bus.js";
import type { HierarchySnapshot } from "../hierarchy/agent-hierarchy.js";
import type { OrchestrationResult, OrchestrationStatus } from "../model/result.js";
import type { Plan, TaskSpec } from "../model/task.js";
import { PluginHost } from "../plugins/plugin-host.js";
import { executeRun } from "../runtime/execute-run.js";
import { OrchestrationRun } from "../runtime/orchestration-run.js";
import { CANCEL_REQUESTED_REASON, type RunOwnership } from "../runtime/run-ownership.js";
import type { Runtime } from "../runtime/runtime.js";
import { silentLogger } from "../util/logger.js";
import {
  checkOrchestratorOptions,
  DEFAULT_RETAIN_FINISHED_BYTES,
  type HierarchicalOrchestratorOptions,
} from "./options.js";
import { makePlan, type PlanMakerContext } from "./plan-maker.js";
import { checkPatternOptionsOf, preflight } from "./preflight.js";
import { checkResume, type ResumeOptions } from "./resume-check.js";
import { RunRegistry } from "./run-registry.js";
import { setUpRuntime } from "./runtime-setup.js";

/** Options of one {@link HierarchicalOrchestrator.orchestrateComplexTask} call. */
export interface OrchestrateOptions {
  /** Id of the orchestration; a random UUID when absent. Must not be in use by a running orchestration. */
  readonly orchestrationId?: string;
  /** Cancels this orchestration (only this one). */
  readonly signal?: AbortSignal;
  /** Pattern for every composite node the decomposer or spec leaves open. */
  readonly pattern?: string;
}

/**
 * Runs complex tasks over a hierarchy of agents: decomposes the task into a plan, coordinates
 * composite nodes with pattern plugins on coordinator slots, runs leaves on agents chosen by
 * the distribution strategy, and reports measured figures. Many orchestrations run at once,
 * each with its own status, result and cancellation.
 *
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator({
 *   maxDepth: 2,
 *   maxAgentsPerLevel: [2, 8, 32],
 *   agents: [functionAgent({ capabilities: ["count"] }, async (work) => String(work.input).length)],
 *   plugins: [myPattern()],
 * });
 * const result = await orchestrator.orchestrateComplexTask({
 *   description: "count letters", pattern: "my-parallel",
 *   children: [{ description: "a", input: "abc" }, { description: "b", input: "de" }],
 * });
 * ```
 */
export class HierarchicalOrchestrator {
  /** The orchestrator's event bus: subscribe to follow every orchestration live. */
  readonly events: EventBus;
  /** The orchestrator's own DI container (plugins registered into it). */
  readonly container: EchelonContainer;
  /** Level names, primary first. */
  readonly levels: readonly string[];
  private readonly runtime: Runtime;
  private readonly host: PluginHost;
  private readonly runs: RunRegistry;
  private readonly maxDepth: number;
  private readonly trusted = new WeakSet<Plan>();
  private readonly offeredCapabilities: readonly string[];
  private readonly ownership: RunOwnership;

  /**
   * @param options - levels, caps, agents, plugins, defaults
   * @throws EchelonError `ECHELON_CONFIG_INVALID`, plugin errors (`ECHELON_PLUGIN_*`, including
   *   `ECHELON_PLUGIN_NAME_CONFLICT` when two plugins register one pattern or strategy name),
   *   `ECHELON_STRATEGY_UNKNOWN`
   */
  constructor(options: HierarchicalOrchestratorOptions = {}) {
    checkOrchestratorOptions(options);
    this.container = new EchelonContainer();
    const bootLogger = options.logger ?? silentLogger;
    this.events = new EventBus(bootLogger);
    this.host = new PluginHost(options.plugins ?? [], this.container, this.events, bootLogger);
    const setup = setUpRuntime(options, { host: this.host, container: this.container, events: this.events });
    this.runtime = setup.runtime;
    this.levels = setup.runtime.levels;
    this.maxDepth = setup.maxDepth;
    this.offeredCapabilities = setup.offeredCapabilities;
    this.runs = new RunRegistry({
      count: options.retainFinished ?? 1000,
      bytes: options.retainFinishedBytes ?? DEFAULT_RETAIN_FINISHED_BYTES,
    });
    this.ownership = setup.ownership;
  }

  /** Names of the registered patterns. */
  get patternNames(): string[] {
    return [...this.runtime.patterns.keys()];
  }

  /** Names of the registered distribution strategies. */
  get strategyNames(): string[] {
    return [...this.runtime.strategies.keys()];
  }

  /** The event journal, or `null` when disabled. */
  get eventStore() {
    return this.runtime.store;
  }

  /** Runs every plugin's `start` hook (also done lazily by the first orchestration). */
  start(): Promise<void> {
    return this.host.start();
  }

  /**
   * Turns a task into a validated plan without running it.
   *
   * @throws EchelonError `ECHELON_SPEC_*`, `ECHELON_PATTERN_UNKNOWN`, pattern option codes
   */
  async plan(
    task: string | TaskSpec | Plan,
    options: { pattern?: string; signal?: AbortSignal } = {},
  ): Promise<Plan> {
    await this.host.start();
    const plan = await makePlan(task, this.planContext(options.signal, options.pattern));
    checkPatternOptionsOf(plan, this.runtime);
    return plan;
  }

  /**
   * Decomposes and runs a task. Agent failures, timeouts and cancellation — before, during or
   * after planning — end in a result with `success: false`, a coded `error` and `state`
   * (`failed` or `cancelled`); bad input throws before any work starts.
   *
   * @param task - text, a TaskSpec tree, or a ready Plan
   * @param options - id, signal, pattern override
   * @returns the measured result
   * @throws EchelonError `ECHELON_SPEC_*`, `ECHELON_PATTERN_UNKNOWN`, pattern option codes, `ECHELON_AGENT_NO_CAPABILITY`,
   *   `ECHELON_STRATEGY_UNKNOWN`, `ECHELON_ORCHESTRATION_DUPLICATE`, `ECHELON_ORCHESTRATOR_SHUT_DOWN`
   */
  async orchestrateComplexTask(
    task: string | TaskSpec | Plan,
    options: OrchestrateOptions = {},
  ): Promise<OrchestrationResult> {
    const id = options.orchestrationId ?? crypto.randomUUID();
    this.runs.assertCanStart(id);
    const run = new OrchestrationRun(id, this.runtime, options.signal);
    this.runs.add(run);
    const outcome = this.planAndRun(run, task, options.pattern);
    run.settle(outcome);
    try {
      return await outcome;
    } finally {
      this.runs.forgetOldRuns();
    }
  }

  /**
   * The live status of an orchestration (also of a finished one, while retained). Task counts
   * always sum to `totalTasks`.
   *
   * @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN`
   */
  getOrchestrationStatus(orchestrationId: string): OrchestrationStatus {
    return this.runs.require(orchestrationId).status();
  }

  /** True when the orchestrator knows this orchestration (running, or finished and retained). */
  hasOrchestration(orchestrationId: string): boolean {
    return this.runs.has(orchestrationId);
  }

  /** Ids of the known orchestrations, oldest first. */
  listOrchestrations(): string[] {
    return this.runs.ids();
  }

  /**
   * Cancels one orchestration: every running agent's signal is aborted, waiting tasks end
   * `cancelled`, no new task starts. Compensations that patterns run in response still run.
   *
   * @returns true when a running orchestration was cancelled; false when unknown or already finished
   */
  cancelOrchestration(orchestrationId: string): boolean {
    return this.runs.get(orchestrationId)?.cancel() ?? false;
  }

  /**
   * Stops dispatching new leaves of one orchestration; running leaves finish.
   *
   * @returns true when it was running and is now paused
   */
  pauseOrchestration(orchestrationId: string): boolean {
    return this.runs.get(orchestrationId)?.pause() ?? false;
  }

  /**
   * Lets a paused orchestration dispatch leaves again.
   *
   * @returns true when it was paused
   */
  resumeOrchestration(orchestrationId: string): boolean {
    return this.runs.get(orchestrationId)?.resume() ?? false;
  }

  /** A snapshot of the agent hierarchy: per level the agents, load, capacity and capabilities. */
  getAgentHierarchy(): HierarchySnapshot {
    return this.runtime.hierarchy.snapshot();
  }

  /**
   * Cancels running orchestrations, waits for them to settle, disposes every agent (waiting at
   * most `abortGraceMs` for a `dispose` that hangs) and stops the plugins (in reverse order).
   * Idempotent.
   */
  async shutdown(): Promise<void> {
    if (this.runs.closed) return;
    this.runs.close();
    const pending: Promise<unknown>[] = [];
    for (const run of this.runs.values()) {
      run.cancel("The orchestrator is shutting down.");
      if (run.settled !== null) pending.push(run.settled);
    }
    await Promise.allSettled(pending);
    this.ownership.close();
    await this.runtime.hierarchy.shutdown(this.runtime.abortGraceMs);
    await this.host.stop();
  }

  /**
   * Resumes a run from its journal in the event store — in a fresh process after a crash, a
   * deploy or a closed terminal. The state is rebuilt by folding the journal: tasks that
   * completed are not run again (their outputs come from the journal), tasks that were in
   * flight run again with the same idempotency key (at least once), a saga goes on forward or
   * compensates from exactly where it stopped and never does both for one step, a run that was
   * being cancelled finishes cancelling, and a finished run just gives back its result. Agents
   * are re-bound by type: this orchestrator must offer the agent types the plan needs.
   *
   * @param orchestrationId - the run to resume
   * @param options - the task again (checked against the journal), `force`, a signal
   * @returns the measured result of the resumed run (times measure this process's part)
   * @throws EchelonError `ECHELON_RESUME_IMPOSSIBLE` (no store, no journal for the id, or it never started),
   *   `ECHELON_RESUME_PLAN_CHANGED`, `ECHELON_STORE_LEASE_HELD`, `ECHELON_ORCHESTRATION_DUPLICATE`,
   *   `ECHELON_AGENT_NO_CAPABILITY`, `ECHELON_ORCHESTRATOR_SHUT_DOWN`
   */
  async resume(orchestrationId: string, options: ResumeOptions = {}): Promise<OrchestrationResult> {
    this.runs.assertCanStart(orchestrationId);
    const decision = await checkResume(orchestrationId, options, {
      store: this.runtime.store,
      start: () => this.host.start(),
      makePlan: (task) => makePlan(task, this.planContext(options.signal, undefined)),
    });
    if (decision.kind === "finished") return decision.result;
    const { plan, replay } = decision;
    preflight(plan, this.runtime);
    const run = new OrchestrationRun(orchestrationId, this.runtime, options.signal, { resumeFrom: replay });
    return this.execute(run, plan);
  }

  private async planAndRun(run: OrchestrationRun, task: string | TaskSpec | Plan, pattern?: string) {
    let plan: Plan;
    try {
      await this.host.start();
      plan = await makePlan(task, { ...this.planContext(run.signal, pattern), orchestrationId: run.id });
      preflight(plan, this.runtime);
    } catch (error) {
      // Cancelled while planning: the same shape as a cancel later on, a cancelled result.
      if (run.signal.aborted) return run.finish(undefined, error);
      this.runs.remove(run.id);
      run.control.finish();
      throw error;
    }
    return this.execute(run, plan);
  }

  /** Takes the run's lease, executes it, releases the lease. */
  private async execute(run: OrchestrationRun, plan: Plan): Promise<OrchestrationResult> {
    this.runs.add(run);
    let cancelRequested: boolean;
    try {
      cancelRequested = await this.ownership.claim(run.id, () => run.cancel(CANCEL_REQUESTED_REASON));
    } catch (error) {
      this.runs.remove(run.id);
      run.control.finish();
      throw error;
    }
    try {
      return await executeRun(run, plan, { owner: this.ownership.owner, cancelRequested });
    } finally {
      await this.ownership.release(run.id);
    }
  }

  private planContext(signal: AbortSignal | undefined, pattern: string | undefined): PlanMakerContext {
    const decomposer = this.container.tryGet(DECOMPOSER);
    return {
      container: this.container,
      trusted: this.trusted,
      capabilities: this.offeredCapabilities,
      maxDepth: this.maxDepth,
      patterns: this.runtime.patterns,
      decomposerPlugin: decomposer === undefined ? null : this.host.ownerOf(decomposer),
      agentCount: (depth) =>
        depth < this.levels.length ? Math.max(1, this.runtime.hierarchy.leafSlots(depth)) : 1,
      ...(pattern !== undefined ? { pattern } : {}),
      ...(signal !== undefined ? { signal } : {}),
    };
  }
}

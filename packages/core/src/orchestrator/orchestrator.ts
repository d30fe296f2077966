import { type AgentType, isAgent } from "../agents/agent.js";
import { singleAgentType } from "../agents/function-agent.js";
import { EchelonContainer } from "../di/container.js";
import {
  AGENT_TYPE,
  DECOMPOSER,
  DISTRIBUTION_STRATEGY,
  EVENT_STORE,
  LOGGER,
  PATTERN,
  RESULT_ENRICHER,
} from "../di/tokens.js";
import { type DistributionStrategy, fallbackLeastLoaded } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { EventBus } from "../events/event-bus.js";
import { AgentHierarchy, type HierarchySnapshot } from "../hierarchy/agent-hierarchy.js";
import { levelNames } from "../model/levels.js";
import type { OrchestrationResult, OrchestrationStatus } from "../model/result.js";
import type { Plan, TaskSpec } from "../model/task.js";
import { PluginHost } from "../plugins/plugin-host.js";
import { indexByName, type Registered } from "../plugins/registrations.js";
import { hashPlan } from "../plan/plan-hash.js";
import { executeRun } from "../runtime/execute-run.js";
import { ReplayLog } from "../runtime/replay-log.js";
import { defaultOwnerId, RunOwnership } from "../runtime/run-ownership.js";
import { OrchestrationRun } from "../runtime/orchestration-run.js";
import type { Runtime } from "../runtime/runtime.js";
import { MemoryEventStore } from "../store/memory-event-store.js";
import { silentLogger } from "../util/logger.js";
import { checkOrchestratorOptions, type HierarchicalOrchestratorOptions, resolveCaps } from "./options.js";
import { makePlan, type PlanMakerContext } from "./plan-maker.js";
import { checkPatternOptionsOf, preflight } from "./preflight.js";

/** Options of {@link HierarchicalOrchestrator.resume}. */
export interface ResumeOptions {
  /**
   * The task again (text, spec or plan). When given, its plan must have the journaled plan's
   * hash: a definition that changed since the crash is refused (`ECHELON_RESUME_PLAN_CHANGED`)
   * unless `force`. Without it the journaled plan is resumed.
   */
  readonly task?: string | TaskSpec | Plan;
  /** Run the new definition even though it changed (tasks keep their journaled outcome by path). */
  readonly force?: boolean;
  /** Cancels the resumed run. */
  readonly signal?: AbortSignal;
}

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
  private readonly runs = new Map<string, OrchestrationRun>();
  private readonly retainFinished: number;
  private readonly maxDepth: number;
  private closed = false;
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
    const logger = options.logger ?? this.container.tryGet(LOGGER) ?? silentLogger;
    this.maxDepth = options.maxDepth ?? 2;
    this.levels = levelNames(this.maxDepth);
    const agentTypes = this.collectAgentTypes(options);
    this.offeredCapabilities = [...new Set(agentTypes.flatMap((t) => t.capabilities))].sort();
    const patterns = indexByName("pattern", this.host.contributions(PATTERN));
    const strategies = indexByName("distribution strategy", this.host.contributions(DISTRIBUTION_STRATEGY));
    const coordinatorCapacity = options.coordinatorCapacity ?? 16;
    this.runtime = {
      hierarchy: new AgentHierarchy({
        levels: this.levels,
        caps: resolveCaps(this.levels, options.maxAgentsPerLevel),
        agentTypes,
        coordinatorCapacity,
        events: this.events,
        logger,
      }),
      levels: this.levels,
      patterns,
      strategies,
      defaultStrategy: chooseDefaultStrategy(strategies, options.strategy),
      events: this.events,
      store:
        options.eventStore === null
          ? null
          : (options.eventStore ?? this.container.tryGet(EVENT_STORE) ?? new MemoryEventStore()),
      logger,
      defaultTimeoutMs: options.defaultTimeoutMs ?? null,
      defaultRetry: options.defaultRetry ?? null,
      abortGraceMs: options.abortGraceMs ?? 1000,
      coordinatorCapacity,
      enrichers: this.host.contributions(RESULT_ENRICHER),
    };
    this.retainFinished = options.retainFinished ?? 1000;
    this.ownership = new RunOwnership({
      store: this.runtime.store,
      owner: options.ownerId ?? defaultOwnerId(),
      leaseTtlMs: options.leaseTtlMs ?? 30_000,
      cancelPollMs: options.cancelPollMs ?? 500,
      logger,
    });
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
    if (this.closed) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATOR_SHUT_DOWN,
        "The orchestrator was shut down; create a new one.",
      );
    }
    const id = options.orchestrationId ?? crypto.randomUUID();
    if (this.runs.get(id)?.active) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATION_DUPLICATE,
        `Orchestration "${id}" is already running. Use another orchestrationId.`,
        { details: { orchestrationId: id } },
      );
    }
    const run = new OrchestrationRun(id, this.runtime, options.signal);
    this.runs.set(id, run);
    const outcome = this.planAndRun(run, task, options.pattern);
    run.settle(outcome);
    try {
      return await outcome;
    } finally {
      this.forgetOldRuns();
    }
  }

  /**
   * The live status of an orchestration (also of a finished one, while retained). Task counts
   * always sum to `totalTasks`.
   *
   * @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN`
   */
  getOrchestrationStatus(orchestrationId: string): OrchestrationStatus {
    return this.requireRun(orchestrationId).status();
  }

  /** True when the orchestrator knows this orchestration (running, or finished and retained). */
  hasOrchestration(orchestrationId: string): boolean {
    return this.runs.has(orchestrationId);
  }

  /** Ids of the known orchestrations, oldest first. */
  listOrchestrations(): string[] {
    return [...this.runs.keys()];
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
    if (this.closed) return;
    this.closed = true;
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
    this.checkOpen();
    if (this.runs.get(orchestrationId)?.active) throw duplicate(orchestrationId);
    const store = this.runtime.store;
    if (store === null) {
      throw new EchelonError(
        CoreErrorCode.RESUME_IMPOSSIBLE,
        "This orchestrator keeps no journal (eventStore: null); resume needs the store the run was journaled in.",
        { details: { orchestrationId } },
      );
    }
    await this.host.start();
    const events = await store.read(orchestrationId);
    const replay = new ReplayLog(events);
    const journaled = replay.state.plan;
    if (journaled === null) {
      throw new EchelonError(
        CoreErrorCode.RESUME_IMPOSSIBLE,
        `Store "${store.name}" has no started run "${orchestrationId}" to resume${events.length > 0 ? " (it ended before its plan was made)" : ""}. Check the id with \`echelon list\`.`,
        { details: { orchestrationId, store: store.name, events: events.length } },
      );
    }
    if (replay.state.result !== null) return replay.state.result;
    let plan = journaled;
    if (options.task !== undefined) {
      const fresh = await makePlan(options.task, this.planContext(options.signal, undefined));
      const [was, now] = [hashPlan(journaled), hashPlan(fresh)];
      if (was !== now && options.force !== true) {
        throw new EchelonError(
          CoreErrorCode.RESUME_PLAN_CHANGED,
          `The definition of "${orchestrationId}" changed since it was journaled (${was} → ${now}). Resume without the task to finish the journaled plan, or pass force to run the new one.`,
          { details: { orchestrationId, journaled: was, given: now } },
        );
      }
      plan = fresh;
    }
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
      this.runs.delete(run.id);
      run.control.finish();
      throw error;
    }
    return this.execute(run, plan);
  }

  /** Takes the run's lease, executes it, releases the lease. */
  private async execute(run: OrchestrationRun, plan: Plan): Promise<OrchestrationResult> {
    this.runs.set(run.id, run);
    try {
      await this.ownership.claim(run.id, () => run.cancel("Cancelled by a request from another process."));
    } catch (error) {
      this.runs.delete(run.id);
      run.control.finish();
      throw error;
    }
    try {
      return await executeRun(run, plan, this.ownership.owner);
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

  private checkOpen(): void {
    if (this.closed) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATOR_SHUT_DOWN,
        "The orchestrator was shut down; create a new one.",
      );
    }
  }

  private requireRun(orchestrationId: string): OrchestrationRun {
    const run = this.runs.get(orchestrationId);
    if (run === undefined) {
      throw new EchelonError(
        CoreErrorCode.ORCHESTRATION_UNKNOWN,
        `No orchestration "${orchestrationId}" is known here (finished ones are kept for the last ${this.retainFinished}).`,
        { details: { orchestrationId } },
      );
    }
    return run;
  }

  private forgetOldRuns(): void {
    let finished = 0;
    for (const run of this.runs.values()) if (!run.active) finished++;
    for (const [id, run] of this.runs) {
      if (finished <= this.retainFinished) return;
      if (!run.active) {
        this.runs.delete(id);
        finished--;
      }
    }
  }

  private collectAgentTypes(options: HierarchicalOrchestratorOptions): AgentType[] {
    const fromOptions: Registered<AgentType>[] = (options.agents ?? []).map((entry, i) => {
      if (isAgent(entry)) return { value: singleAgentType(entry), plugin: null };
      if (entry && typeof (entry as AgentType).spawn === "function")
        return { value: entry as AgentType, plugin: null };
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `agents[${i}] is neither an agent type (functionAgent(...), workerAgent(...)) nor an agent object.`,
        { details: { index: i } },
      );
    });
    const all = [...fromOptions, ...this.host.contributions(AGENT_TYPE)];
    return [...indexByName("agent type", all).values()].map((r) => r.value);
  }
}

function duplicate(orchestrationId: string): EchelonError {
  return new EchelonError(
    CoreErrorCode.ORCHESTRATION_DUPLICATE,
    `Orchestration "${orchestrationId}" is already running here. Use another orchestrationId, or wait for it to end.`,
    { details: { orchestrationId } },
  );
}

function chooseDefaultStrategy(
  strategies: ReadonlyMap<string, Registered<DistributionStrategy>>,
  name: string | undefined,
): Registered<DistributionStrategy> {
  if (name === undefined) {
    return strategies.values().next().value ?? { value: fallbackLeastLoaded, plugin: null };
  }
  const chosen = strategies.get(name);
  if (chosen === undefined) {
    throw new EchelonError(
      CoreErrorCode.STRATEGY_UNKNOWN,
      `Distribution strategy "${name}" is not registered. Registered: ${[...strategies.keys()].join(", ") || "none (install @echelon/distributor)"}.`,
      { details: { strategy: name } },
    );
  }
  return chosen;
}

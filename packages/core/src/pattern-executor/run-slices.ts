import type { Agent, AgentType } from "../agents/agent.js";
import { fallbackLeastLoaded } from "../distribution/strategy.js";
import type { ChildOutcome } from "../patterns/pattern.js";
import { EventBus } from "../events/event-bus.js";
import { AgentHierarchy } from "../hierarchy/agent-hierarchy.js";
import type { OrchestrationResult } from "../model/result.js";
import type { Plan, TaskSlice } from "../model/task.js";
import type { Pattern, SliceLayout } from "../patterns/pattern.js";
import type { PatternResult } from "../patterns/pattern-result.js";
import type { Registered } from "../plugins/registrations.js";
import { NodePath } from "../run-state/node-path.js";
import { isFinalTaskState, type RunState, type TaskRecord } from "../run-state/run-state.js";
import { executeRun } from "../runtime/execute-run.js";
import { OrchestrationRun } from "../runtime/orchestration-run.js";
import { nodeToChild } from "../runtime/pattern-context.js";
import type { Runtime } from "../runtime/runtime.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { stageCapability, virtualPlan } from "./virtual-plan.js";

/** Options of one run of a pattern on slices ({@link runPatternOnSlices}, and `PatternExecutor` underneath). */
export interface SliceRunOptions {
  /** Pattern options (reducer, gather strategy, …). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Cancels the run. */
  readonly signal?: AbortSignal;
  /** Run id (also the orchestration id of its events). Default a random UUID. */
  readonly runId?: string;
  /** Input of the (virtual) composite node. */
  readonly input?: unknown;
  /** Where the run's events go. */
  readonly events?: EventBus;
  /** Logger. */
  readonly logger?: Logger;
  /** Keep each slice's output in `PatternResult.outcomes` (default true). */
  readonly keepOutputs?: boolean;
  /** How slices and agents become children; default the pattern's own `sliceLayout` (else `slices`). */
  readonly layout?: SliceLayout;
}

const LEVELS = ["pattern", "executor"] as const;

/**
 * Agent types for the executor's agents: one instance each, named by the agent's id, offering
 * its capabilities plus the capability that pins a stage to it. The user's agents are never
 * disposed by the executor.
 */
function executorTypes(agents: readonly Agent[]): AgentType[] {
  const seen = new Map<string, number>();
  return agents.map((agent, i) => {
    const n = (seen.get(agent.id) ?? 0) + 1;
    seen.set(agent.id, n);
    const name = n === 1 ? agent.id : `${agent.id}~${n}`;
    const capabilities = Object.freeze([...agent.capabilities, stageCapability(i)]);
    const shell: Agent = {
      id: name,
      type: name,
      capabilities,
      capacity: agent.capacity,
      execute: (work, ctx) => agent.execute(work, ctx),
    };
    return {
      name,
      capabilities,
      capacity: agent.capacity,
      maxInstances: 1,
      levels: [LEVELS[1]],
      spawn: () => shell,
    };
  });
}

function runtimeFor(
  pattern: Registered<Pattern>,
  agents: readonly Agent[],
  bus: EventBus,
  logger: Logger,
): Runtime {
  return {
    hierarchy: new AgentHierarchy({
      levels: LEVELS,
      caps: [1, Math.max(1, agents.length)],
      agentTypes: executorTypes(agents),
      coordinatorCapacity: 1,
      events: bus,
      logger,
    }),
    levels: LEVELS,
    patterns: new Map([[pattern.value.name, pattern]]),
    strategies: new Map(),
    defaultStrategy: { value: fallbackLeastLoaded, plugin: null },
    events: bus,
    store: null,
    logger,
    defaultTimeoutMs: null,
    defaultRetry: null,
    abortGraceMs: 1000,
    coordinatorCapacity: 1,
    enrichers: [],
    expansion: null,
  };
}

/**
 * Runs a pattern on slices over a fixed set of agents — the engine behind `PatternExecutor`,
 * on the orchestrator's own runtime: the slices become a virtual plan (see `virtualPlan`) whose
 * leaves go to the least-loaded agent that offers their capabilities. Events are those of an
 * orchestration (`orchestration:*`, `pattern:*`, `task:*`) with the run id as orchestration id.
 *
 * @param pattern - the pattern, with the plugin that registered it (`null` when none)
 * @param slices - the work (checked by the caller)
 * @param agents - agents that run it (at least one)
 * @param runOptions - options, signal, events
 * @returns the pattern result; never throws for a failing or cancelled pattern (see `status`)
 * @throws EchelonError the pattern's own code when it refuses its options (`checkOptions`)
 */
export async function runSlices(
  pattern: Registered<Pattern>,
  slices: readonly TaskSlice[],
  agents: readonly Agent[],
  runOptions: SliceRunOptions = {},
): Promise<PatternResult> {
  const layout = runOptions.layout ?? pattern.value.sliceLayout ?? "slices";
  const plan = virtualPlan({
    pattern: pattern.value.name,
    layout,
    slices,
    agents,
    patternOptions: runOptions.options ?? {},
    input: runOptions.input,
  });
  // The pattern checks its options before any work, as it does at plan time in an orchestration.
  pattern.value.checkOptions?.(plan.root.patternOptions, plan.root.children.map(nodeToChild));
  const bus = runOptions.events ?? new EventBus();
  const runtime = runtimeFor(pattern, agents, bus, runOptions.logger ?? silentLogger);
  const run = new OrchestrationRun(runOptions.runId ?? crypto.randomUUID(), runtime, runOptions.signal, {
    keepOutputs: runOptions.keepOutputs !== false,
  });
  const startedAt = Date.now();
  const result = await executeRun(run, plan);
  const outcome = run.rootOutcome;
  const outcomes =
    layout === "agent-stages"
      ? stageOutcomes(slices, result)
      : sliceOutcomes(slices, plan, run.state, runOptions.keepOutputs !== false);
  return {
    pattern: pattern.value.name,
    runId: run.id,
    success: result.success,
    status: result.success
      ? (outcome?.status ?? "completed")
      : result.state === "cancelled"
        ? "cancelled"
        : "failed",
    result: result.result,
    outcomes,
    executionTimeMs: result.metadata.metrics.wallMs,
    startedAt,
    error: result.error,
    details: result.success ? (outcome?.details ?? {}) : (result.error?.details ?? {}),
  };
}

/** One outcome per slice, from the run state: the slice's own task, or its last invocation. */
function sliceOutcomes(
  slices: readonly TaskSlice[],
  plan: Plan,
  state: RunState,
  keep: boolean,
): ChildOutcome[] {
  const latest = new Map<string, TaskRecord>();
  for (const path in state.tasks) {
    const task = state.tasks[path]!;
    if (task.template || NodePath.isCompensation(path) || NodePath.depth(path) !== 1) continue;
    const base = NodePath.planPath(path);
    const known = latest.get(base);
    if (known === undefined || (task.endedAt ?? 0) >= (known.endedAt ?? 0)) latest.set(base, task);
  }
  return slices.map((slice) => {
    const path = NodePath.child(plan.root.path, slice.sliceId);
    const task = latest.get(path);
    if (task === undefined)
      return { id: slice.sliceId, status: state.unseenState === "cancelled" ? "cancelled" : "skipped" };
    const status = isFinalTaskState(task.state) ? (task.state as ChildOutcome["status"]) : "skipped";
    const durationMs =
      task.startedAt !== null && task.endedAt !== null ? task.endedAt - task.startedAt : undefined;
    const output = state.outputs?.[task.path];
    return {
      id: slice.sliceId,
      status,
      ...(keep && status === "completed" && output !== undefined ? { output } : {}),
      ...(task.error !== null && (status === "failed" || status === "cancelled")
        ? { error: task.error }
        : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
    };
  });
}

/** With the agents as stages, each slice ends as the whole chain does (its item of a stream). */
function stageOutcomes(slices: readonly TaskSlice[], result: OrchestrationResult): ChildOutcome[] {
  return slices.map((slice, i) => {
    if (!result.success) {
      return {
        id: slice.sliceId,
        status: result.state === "cancelled" ? "cancelled" : "failed",
        ...(result.error !== null ? { error: result.error } : {}),
      };
    }
    const output = slices.length === 1 ? result.result : (result.result as unknown[] | null)?.[i];
    return { id: slice.sliceId, status: "completed", output };
  });
}

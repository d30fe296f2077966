import { type Agent, isAgent } from "../agents/agent.js";
import { EchelonContainer } from "../di/container.js";
import { PATTERN } from "../di/tokens.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { EventBus } from "../events/event-bus.js";
import type { TaskSlice } from "../model/task.js";
import { recommendPattern } from "../orchestrator/recommend.js";
import type { Pattern, SliceLayout } from "../patterns/pattern.js";
import type { PatternResult } from "../patterns/pattern-result.js";
import type { EchelonPlugin } from "../plugins/plugin.js";
import { PluginHost } from "../plugins/plugin-host.js";
import { indexByName, type Registered } from "../plugins/registrations.js";
import { type Logger, silentLogger } from "../util/logger.js";
import { ExecutionHistory, type PatternExecution, type PatternPerformance } from "./execution-history.js";
import { type ExecutorAgent, resolveExecutorAgents, type SliceFunction } from "./executor-agents.js";
import type { PatternMap } from "./orchestration-pattern.js";
import { runSlices } from "./run-slices.js";
import { checkExecuteOptions, checkSlices, sliceToChild } from "./slice-checks.js";

/** Options of {@link PatternExecutor}. */
export interface PatternExecutorOptions {
  /** Pattern plugins the executor knows (e.g. `[mapReducePattern(), pipelinePattern()]`). */
  readonly plugins?: readonly EchelonPlugin[];
  /** Agents registered up front, by id; usable by id in `executePattern`. */
  readonly agents?: Readonly<Record<string, Agent | SliceFunction>>;
  /** Most runs kept for `getExecutionHistory` and `getPatternPerformance`. Default 1000. */
  readonly historySize?: number;
  /** Event bus the runs emit on (`pattern:*`, `task:*`). A private bus when absent. */
  readonly events?: EventBus;
  /** Logger handed to plugins, patterns and agents. Silent by default. */
  readonly logger?: Logger;
}

/** Options of one {@link PatternExecutor.executePattern} call. */
export interface ExecutePatternOptions {
  /** Options for the pattern (`{ reducer: "sum", chunkSize: 100 }`), seen as `ctx.options`. */
  readonly patternOptions?: Readonly<Record<string, unknown>>;
  /** Cancels the run; running agents see their signal abort. */
  readonly signal?: AbortSignal;
  /** Id of the run (the `orchestrationId` of its events). Default a random UUID. */
  readonly runId?: string;
  /** Input of the virtual composite node (`ctx.input`), e.g. a pipeline's first input. */
  readonly input?: unknown;
  /**
   * Keep each slice's output in `result.outcomes` (default true). Turn off for huge map-reduce
   * runs so only the reduced result is held.
   */
  readonly keepOutputs?: boolean;
  /**
   * How slices and agents become the pattern's children: `slices` (one child per slice, the
   * agents a shared pool) or `agent-stages` (one stage per agent, the slices flow through
   * them). Default: the pattern's own `sliceLayout` (the pipeline's is `agent-stages`, as in
   * the seed API), else `slices`.
   */
  readonly layout?: SliceLayout;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `PatternExecutor: ${name} must be a positive integer, got ${String(value)}.`,
      { details: { option: name, value: String(value) } },
    );
  }
  return value;
}

/**
 * Runs coordination patterns directly on {@link TaskSlice}s, without a plan: the seed API.
 * Patterns come from the plugins handed in (registered into the executor's own container);
 * runs are measured and remembered for `getPatternPerformance`.
 *
 * @example
 * ```ts
 * const executor = new PatternExecutor({ plugins: [mapReducePattern()] });
 * const r = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [async (w) => count(w.input)],
 *   { patternOptions: { reducer: "sum" } });
 * ```
 */
export class PatternExecutor {
  /** Known patterns by name; pattern objects expose their own registration methods. */
  readonly patterns: PatternMap;
  /** The bus runs emit on. */
  readonly events: EventBus;
  private readonly container = new EchelonContainer();
  private readonly host: PluginHost;
  private readonly agents = new Map<string, Agent>();
  private readonly history: ExecutionHistory;
  private readonly logger: Logger;
  private readonly registered: ReadonlyMap<string, Registered<Pattern>>;

  /**
   * @param options - plugins, agents, history size, events
   * @throws EchelonError `ECHELON_CONFIG_INVALID` for a bad history size or agent;
   *   `ECHELON_PLUGIN_NAME_CONFLICT` when two plugins register one pattern name; plugin boot codes
   *   (`ECHELON_PLUGIN_*`) from registration
   */
  constructor(options: PatternExecutorOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.events = options.events ?? new EventBus(this.logger);
    this.history = new ExecutionHistory(positiveInteger(options.historySize, 1000, "historySize"));
    this.host = new PluginHost(options.plugins ?? [], this.container, this.events, this.logger);
    this.registered = indexByName("pattern", this.host.contributions(PATTERN));
    const patterns: Record<string, Pattern> = Object.create(null);
    for (const [name, { value }] of this.registered) patterns[name] = value;
    this.patterns = Object.freeze(patterns) as PatternMap;
    for (const [id, agent] of Object.entries(options.agents ?? {})) this.registerAgent(id, agent);
  }

  /**
   * Registers an agent under an id, usable by that id in `executePattern`.
   *
   * @param id - unique id
   * @param agent - an Agent or a plain async function `(work, ctx) => result`
   * @throws EchelonError `ECHELON_CONFIG_INVALID` for an empty or already registered id, or a value that is no agent
   */
  registerAgent(id: string, agent: Agent | SliceFunction): void {
    if (typeof id !== "string" || id.length === 0) {
      throw new EchelonError(CoreErrorCode.CONFIG_INVALID, "registerAgent: pass a non-empty string id.");
    }
    if (this.agents.has(id)) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `An agent with id "${id}" is already registered. Use another id.`,
        { details: { agentId: id } },
      );
    }
    if (isAgent(agent)) {
      this.agents.set(id, agent);
    } else if (typeof agent === "function") {
      this.agents.set(id, {
        id,
        type: "function",
        capabilities: [],
        capacity: 1,
        execute: async (w, c) => agent(w, c),
      });
    } else {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `registerAgent("${id}"): pass an Agent object or an async function.`,
        { details: { agentId: id } },
      );
    }
  }

  /**
   * Runs a pattern on slices.
   *
   * @param pattern - a pattern name (`OrchestrationPattern.MAPREDUCE`, or a third-party name)
   * @param slices - the work
   * @param agents - Agents, functions or registered ids; all registered agents when absent or empty
   * @param options - pattern options, signal, run id, input
   * @returns the measured result; a failing or cancelled pattern yields `success: false` (it does not throw)
   * @throws EchelonError `ECHELON_PATTERN_UNKNOWN` for an unknown pattern; `ECHELON_AGENT_TYPE_UNKNOWN`
   *   for an unknown agent id; `ECHELON_CONFIG_INVALID` when no agent is available, slices are malformed
   *   or `options` has a key it does not know; `ECHELON_SPEC_INVALID` for dependencies on unknown slices or
   *   content that is not JSON; the pattern plugin's own code for bad `patternOptions`
   */
  async executePattern(
    pattern: string,
    slices: readonly TaskSlice[],
    agents?: readonly ExecutorAgent[] | ExecutorAgent,
    options: ExecutePatternOptions = {},
  ): Promise<PatternResult> {
    const chosen = this.registeredPattern(pattern);
    checkExecuteOptions(options);
    checkSlices(slices);
    const resolved = this.resolveAgents(agents);
    await this.host.start();
    const result = await runSlices(chosen, slices, resolved, {
      options: options.patternOptions ?? {},
      events: this.events,
      logger: this.logger,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.runId ? { runId: options.runId } : {}),
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.keepOutputs !== undefined ? { keepOutputs: options.keepOutputs } : {}),
      ...(options.layout !== undefined ? { layout: options.layout } : {}),
    });
    this.history.add({
      runId: result.runId,
      pattern: result.pattern,
      success: result.success,
      status: result.status,
      executionTimeMs: result.executionTimeMs,
      startedAt: result.startedAt,
      slices: slices.length,
      errorCode: result.error?.code ?? null,
    });
    return result;
  }

  /**
   * Picks a pattern with {@link PatternExecutor.recommendPattern} and runs it.
   *
   * @returns the result; `result.pattern` names the pattern chosen
   * @throws EchelonError as {@link PatternExecutor.executePattern}
   */
  async executeAutoPattern(
    slices: readonly TaskSlice[],
    agents?: readonly ExecutorAgent[] | ExecutorAgent,
    options: ExecutePatternOptions = {},
  ): Promise<PatternResult> {
    return this.executePattern(this.recommendPattern(slices, agents), slices, agents, options);
  }

  /**
   * Recommends a known pattern for the slices, deterministically, by asking each pattern
   * plugin's own `recommend(children, { agentCount })` (the built-in plugins score chains →
   * pipeline, DAGs → fork-join, declared compensations → saga, one or identical slices over
   * several agents → scatter-gather, same-kind slices → mapreduce). Ties go to the pattern
   * registered first.
   *
   * @returns the pattern name
   * @throws EchelonError `ECHELON_PATTERN_UNKNOWN` when no pattern is installed; agent and slice codes as `executePattern`
   */
  recommendPattern(slices: readonly TaskSlice[], agents?: readonly ExecutorAgent[] | ExecutorAgent): string {
    checkSlices(slices);
    const agentCount = this.resolveAgents(agents, true).length;
    const name = recommendPattern(this.registered.values(), slices.map(sliceToChild), agentCount);
    if (name === undefined) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_UNKNOWN,
        "No pattern is installed. Pass pattern plugins in `new PatternExecutor({ plugins })`.",
      );
    }
    return name;
  }

  /**
   * The pattern object registered under `name`.
   *
   * @throws EchelonError `ECHELON_PATTERN_UNKNOWN` listing the known names
   */
  getPattern(name: string): Pattern {
    return this.registeredPattern(name).value;
  }

  private registeredPattern(name: string): Registered<Pattern> {
    const registered = typeof name === "string" ? this.registered.get(name) : undefined;
    if (registered === undefined) {
      const known = [...this.registered.keys()];
      throw new EchelonError(
        CoreErrorCode.PATTERN_UNKNOWN,
        `Unknown pattern "${String(name)}". Known: ${known.length > 0 ? known.join(", ") : "none (pass pattern plugins)"}.`,
        { details: { pattern: String(name), known } },
      );
    }
    return registered;
  }

  /** Per-pattern measured statistics over the retained history (patterns without runs are absent). */
  getPatternPerformance(): Record<string, PatternPerformance> {
    return this.history.performance();
  }

  /**
   * The last `limit` runs (all retained runs when absent), oldest first.
   *
   * @param limit - most entries returned
   */
  getExecutionHistory(limit?: number): PatternExecution[] {
    return this.history.list(limit);
  }

  /** Forgets every remembered run (and so every performance figure). */
  clearHistory(): void {
    this.history.clear();
  }

  /** Runs the plugins' `stop` hooks in reverse order. */
  async shutdown(): Promise<void> {
    await this.host.stop();
  }

  private resolveAgents(
    agents: readonly ExecutorAgent[] | ExecutorAgent | undefined,
    allowNone = false,
  ): Agent[] {
    return resolveExecutorAgents(agents, this.agents, allowNone);
  }
}

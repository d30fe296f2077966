import { CoreErrorCode, EchelonError } from "@echelon/core";
import type { AgentLoad, DistributionStrategy, TaskRequest } from "@echelon/core/plugin";
import { DistributorErrorCode } from "./errors.js";
import type { AgentRegistration, TaskToAssign, WorkloadDistributorOptions } from "./distributor-types.js";
import { builtInStrategies } from "./strategies/built-in.js";

interface AgentRecord extends AgentLoad {
  inFlight: number;
  completed: number;
  busyMs: number;
  readonly capabilitySet: ReadonlySet<string>;
}

const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Places tasks on agents through a {@link DistributionStrategy}, usable without an
 * orchestrator: register agents, `assign` tasks, `complete` them. It keeps each agent's load
 * (in flight, completed, busy time), filters the candidates for a task (they offer every
 * required capability, serve the task's level if one is given, and have a free slot) and asks
 * the strategy to choose. Inside an orchestration core does the same bookkeeping itself and
 * calls the registered strategies directly.
 *
 * Cost of `assign`: one pass over the registered agents plus the strategy's pass over the
 * candidates; the candidate array is reused between calls.
 *
 * @example
 * ```ts
 * const distributor = new WorkloadDistributor({ strategy: "capability" });
 * distributor.registerAgent({ agentId: "a", capabilities: ["coding"], capacity: 2 });
 * distributor.registerAgent({ agentId: "b", capabilities: ["coding", "testing"] });
 * const agentId = distributor.assign({ capabilities: ["testing"] }); // "b"
 * distributor.complete(agentId, 12);
 * ```
 */
export class WorkloadDistributor {
  private readonly agents = new Map<string, AgentRecord>();
  private readonly strategies = new Map<string, DistributionStrategy>();
  private readonly strategy: DistributionStrategy;
  private readonly scratch: AgentRecord[] = [];
  private sequence = 0;

  /**
   * @param options - default strategy and extra strategies
   * @throws EchelonError `ECHELON_STRATEGY_UNKNOWN` when `options.strategy` names no registered strategy
   * @throws EchelonError `ECHELON_DISTRIBUTOR_DUPLICATE_STRATEGY` when an extra strategy reuses a registered name
   * @throws EchelonError `ECHELON_CONFIG_INVALID` on bad built-in strategy options
   */
  constructor(options: WorkloadDistributorOptions = {}) {
    for (const strategy of builtInStrategies(options.builtIn)) this.strategies.set(strategy.name, strategy);
    for (const strategy of options.strategies ?? []) this.use(strategy);
    const chosen = options.strategy ?? "least-loaded";
    if (typeof chosen === "string") {
      this.strategy = this.strategyNamed(chosen);
    } else {
      if (!this.strategies.has(chosen.name)) this.strategies.set(chosen.name, chosen);
      this.strategy = chosen;
    }
  }

  /** Name of the strategy used when a task names none. */
  get strategyName(): string {
    return this.strategy.name;
  }

  /** Names of the registered strategies. */
  get strategyNames(): readonly string[] {
    return [...this.strategies.keys()];
  }

  /**
   * Registers a strategy (a third-party one, say) so tasks can name it.
   *
   * @param strategy - the strategy
   * @throws EchelonError `ECHELON_DISTRIBUTOR_DUPLICATE_STRATEGY` when a strategy of that name is registered
   */
  use(strategy: DistributionStrategy): void {
    if (this.strategies.has(strategy.name)) {
      throw new EchelonError(
        DistributorErrorCode.DUPLICATE_STRATEGY,
        `A strategy named "${strategy.name}" is already registered; give yours another name.`,
        { details: { strategy: strategy.name } },
      );
    }
    this.strategies.set(strategy.name, strategy);
  }

  /**
   * Adds an agent.
   *
   * @param agent - id, capabilities, capacity
   * @throws EchelonError `ECHELON_DISTRIBUTOR_DUPLICATE_AGENT` when the id is registered
   * @throws EchelonError `ECHELON_CONFIG_INVALID` when capacity is not an integer ≥ 1
   */
  registerAgent(agent: AgentRegistration): void {
    if (this.agents.has(agent.agentId)) {
      throw new EchelonError(
        DistributorErrorCode.DUPLICATE_AGENT,
        `Agent "${agent.agentId}" is already registered; unregister it first or use another id.`,
        { details: { agentId: agent.agentId } },
      );
    }
    const capacity = agent.capacity ?? 1;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `Agent "${agent.agentId}": capacity must be an integer of at least 1, got ${String(capacity)}.`,
        { details: { agentId: agent.agentId, capacity: String(capacity) } },
      );
    }
    const capabilities = Object.freeze([...(agent.capabilities ?? EMPTY)]);
    this.agents.set(agent.agentId, {
      agentId: agent.agentId,
      agentType: agent.agentType ?? "agent",
      level: agent.level ?? "primary",
      capabilities,
      capabilitySet: new Set(capabilities),
      capacity,
      inFlight: 0,
      completed: 0,
      busyMs: 0,
    });
  }

  /**
   * Removes an agent; its in-flight work is forgotten.
   *
   * @param agentId - the agent
   * @returns whether it was registered
   */
  unregisterAgent(agentId: string): boolean {
    return this.agents.delete(agentId);
  }

  /**
   * Chooses an agent for the task and counts the task as in flight on it.
   *
   * @param task - what to place
   * @returns the chosen agent's id
   * @throws EchelonError `ECHELON_AGENT_NO_CAPABILITY` when no registered agent offers the required capabilities (at the task's level)
   * @throws EchelonError `ECHELON_DISTRIBUTOR_SATURATED` when every such agent is at capacity
   * @throws EchelonError `ECHELON_STRATEGY_UNKNOWN` when `task.strategy` names no registered strategy
   * @throws EchelonError `ECHELON_DISTRIBUTOR_INVALID_CHOICE` when the strategy returns a bad index
   */
  assign(task: TaskToAssign): string {
    const agentId = this.tryAssign(task);
    if (agentId !== null) return agentId;
    throw new EchelonError(
      DistributorErrorCode.SATURATED,
      `Every agent able to run task "${task.taskId ?? "(unnamed)"}" is at capacity; complete work or register more agents.`,
      { details: { taskId: task.taskId ?? null, capabilities: [...(task.capabilities ?? EMPTY)] } },
    );
  }

  /**
   * Like {@link WorkloadDistributor.assign}, but returns `null` instead of throwing when every
   * capable agent is at capacity.
   *
   * @param task - what to place
   * @returns the chosen agent's id, or `null` when all capable agents are busy
   * @throws EchelonError `ECHELON_AGENT_NO_CAPABILITY`, `ECHELON_STRATEGY_UNKNOWN`, `ECHELON_DISTRIBUTOR_INVALID_CHOICE`
   */
  tryAssign(task: TaskToAssign): string | null {
    const strategy = task.strategy === undefined ? this.strategy : this.strategyNamed(task.strategy);
    const required = task.capabilities ?? EMPTY;
    const candidates = this.scratch;
    candidates.length = 0;
    let capable = 0;
    for (const agent of this.agents.values()) {
      if (task.level !== undefined && agent.level !== task.level) continue;
      if (!offersAll(agent.capabilitySet, required)) continue;
      capable++;
      if (agent.inFlight < agent.capacity) candidates.push(agent);
    }
    if (capable === 0) {
      throw new EchelonError(
        CoreErrorCode.AGENT_NO_CAPABILITY,
        `No registered agent${task.level === undefined ? "" : ` at level "${task.level}"`} offers all of [${required.join(", ")}]; register an agent that does or drop the requirement.`,
        { details: { capabilities: [...required], level: task.level ?? null, taskId: task.taskId ?? null } },
      );
    }
    if (candidates.length === 0) return null;
    const chosen = this.choose(strategy, this.toRequest(task, required), candidates);
    candidates.length = 0;
    chosen.inFlight++;
    return chosen.agentId;
  }

  /**
   * Delegates one choice to the distributor's strategy (or a named one), with candidates the
   * caller filtered itself.
   *
   * @param task - the task
   * @param candidates - agents able to take it (never empty)
   * @param strategyName - a registered strategy; default the distributor's own
   * @returns the index of the chosen candidate
   * @throws EchelonError `ECHELON_STRATEGY_UNKNOWN`, `ECHELON_DISTRIBUTOR_INVALID_CHOICE`, `ECHELON_CONFIG_INVALID` (no candidates)
   */
  select(task: TaskRequest, candidates: readonly AgentLoad[], strategyName?: string): number {
    if (candidates.length === 0) {
      throw new EchelonError(CoreErrorCode.CONFIG_INVALID, "select() needs at least one candidate.");
    }
    const strategy = strategyName === undefined ? this.strategy : this.strategyNamed(strategyName);
    return checkedIndex(strategy, strategy.select(task, candidates), candidates.length);
  }

  /**
   * Which waiting task should get the next free slot, by the strategy's `nextWaiting`
   * (FIFO, i.e. 0, when the strategy has none).
   *
   * @param waiting - waiting tasks, oldest first (never empty)
   * @param now - monotonic time, milliseconds
   * @returns the index of the task to serve
   * @throws EchelonError `ECHELON_DISTRIBUTOR_INVALID_CHOICE` when the strategy returns a bad index
   */
  nextWaiting(waiting: readonly TaskRequest[], now: number): number {
    if (this.strategy.nextWaiting === undefined || waiting.length === 0) return 0;
    return checkedIndex(this.strategy, this.strategy.nextWaiting(waiting, now), waiting.length);
  }

  /**
   * Records that a task assigned to `agentId` finished (successfully or not).
   *
   * @param agentId - the agent that ran it
   * @param busyMs - how long it ran, milliseconds; default 0
   * @throws EchelonError `ECHELON_AGENT_TYPE_UNKNOWN` when the agent is not registered
   * @throws EchelonError `ECHELON_CONFIG_INVALID` when the agent has nothing in flight
   */
  complete(agentId: string, busyMs = 0): void {
    const agent = this.agents.get(agentId);
    if (agent === undefined) {
      throw new EchelonError(CoreErrorCode.AGENT_TYPE_UNKNOWN, `Agent "${agentId}" is not registered.`, {
        details: { agentId },
      });
    }
    if (agent.inFlight === 0) {
      throw new EchelonError(
        CoreErrorCode.CONFIG_INVALID,
        `Agent "${agentId}" has no task in flight; complete() must match an earlier assign().`,
        { details: { agentId } },
      );
    }
    agent.inFlight--;
    agent.completed++;
    if (Number.isFinite(busyMs) && busyMs > 0) agent.busyMs += busyMs;
  }

  /**
   * A snapshot of every agent's load, in registration order.
   *
   * @returns copies of the loads (safe to keep)
   */
  loads(): AgentLoad[] {
    return [...this.agents.values()].map(({ capabilitySet: _set, ...load }) => load);
  }

  private strategyNamed(name: string): DistributionStrategy {
    const strategy = this.strategies.get(name);
    if (strategy === undefined) {
      throw new EchelonError(
        CoreErrorCode.STRATEGY_UNKNOWN,
        `No distribution strategy named "${name}"; registered: ${[...this.strategies.keys()].join(", ")}.`,
        { details: { strategy: name, registered: [...this.strategies.keys()] } },
      );
    }
    return strategy;
  }

  private toRequest(task: TaskToAssign, required: readonly string[]): TaskRequest {
    const taskId = task.taskId ?? `task-${++this.sequence}`;
    return {
      orchestrationId: task.orchestrationId ?? "",
      taskId,
      nodePath: task.nodePath ?? taskId,
      level: task.level ?? "primary",
      capabilities: required,
      priority: task.priority ?? 0,
      enqueuedAt: task.enqueuedAt ?? performance.now(),
      metadata: task.metadata ?? {},
    };
  }

  private choose(
    strategy: DistributionStrategy,
    request: TaskRequest,
    candidates: AgentRecord[],
  ): AgentRecord {
    return candidates[checkedIndex(strategy, strategy.select(request, candidates), candidates.length)]!;
  }
}

function offersAll(offered: ReadonlySet<string>, required: readonly string[]): boolean {
  for (let i = 0; i < required.length; i++) if (!offered.has(required[i]!)) return false;
  return true;
}

function checkedIndex(strategy: DistributionStrategy, index: unknown, length: number): number {
  if (typeof index === "number" && Number.isInteger(index) && index >= 0 && index < length) return index;
  throw new EchelonError(
    DistributorErrorCode.INVALID_CHOICE,
    `Strategy "${strategy.name}" returned ${String(index)}; it must return the index of one of the ${length} candidates.`,
    { details: { strategy: strategy.name, returned: String(index), candidates: length } },
  );
}

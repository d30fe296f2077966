import type { Agent, AgentType } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { EventBus } from "../events/event-bus.js";
import type { Logger } from "../util/logger.js";
import { LevelPool, type PoolEnvironment } from "./level-pool.js";
import { TypeSlot } from "./type-slot.js";

/** One agent in a {@link HierarchySnapshot}. */
export interface AgentSnapshot {
  /** Agent id (`<type>#<n>`). */
  readonly id: string;
  /** Name of its agent type (`coordinator` for coordinator agents). */
  readonly type: string;
  /** `worker` runs leaves and compensations; `coordinator` holds a slot for a composite node's pattern. */
  readonly role: "worker" | "coordinator";
  /** Capabilities it offers. */
  readonly capabilities: readonly string[];
  /** Tasks it can run at once. */
  readonly capacity: number;
  /** Tasks it runs now (at most `capacity`). */
  readonly inFlight: number;
  /** Executions it finished so far, whatever their outcome. */
  readonly completed: number;
  /** Time it had at least one task in flight, milliseconds, including the current stretch. */
  readonly busyMs: number;
}

/** One level in a {@link HierarchySnapshot}. */
export interface LevelSnapshot {
  /** Level name (`primary`, `secondary`, …). */
  readonly name: string;
  /** Level index: the depth of the plan nodes it serves (root = 0). */
  readonly index: number;
  /** Most live agents allowed. */
  readonly cap: number;
  /** Live agents now (including ones being spawned). */
  readonly live: number;
  /** Tasks in flight on this level's agents (load). */
  readonly load: number;
  /** Sum of the live agents' capacities. */
  readonly capacity: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
  /** Highest live agent count seen. */
  readonly peakLive: number;
  /** Highest number of leaf tasks running at once on this level. */
  readonly peakConcurrency: number;
  /** Union of the capabilities the level's agent types offer. */
  readonly capabilities: readonly string[];
  /** Live agents, workers and coordinators, oldest first. */
  readonly agents: readonly AgentSnapshot[];
}

/** A point-in-time view of the whole hierarchy, as returned by `getAgentHierarchy()`. */
export interface HierarchySnapshot {
  /** Every level, primary first. */
  readonly levels: readonly LevelSnapshot[];
  /** Live agents across all levels. */
  readonly totalAgents: number;
}

/** Options of {@link AgentHierarchy}. */
export interface AgentHierarchyOptions {
  readonly levels: readonly string[];
  readonly caps: readonly number[];
  readonly agentTypes: readonly AgentType[];
  readonly coordinatorCapacity: number;
  readonly events: EventBus;
  readonly logger: Logger;
}

const COORDINATOR_TYPE = "coordinator";

/**
 * The ordered levels of agents. Each level has a cap on live agents that holds across all
 * concurrent orchestrations; worker agents are spawned lazily from agent types, coordinator
 * agents hold slots for composite nodes.
 */
export class AgentHierarchy {
  readonly pools: readonly LevelPool[];
  /** Per agent type name: instances across levels and ids handed out. */
  private readonly slots = new Map<string, TypeSlot>();

  constructor(private readonly options: AgentHierarchyOptions) {
    const coordinator = coordinatorType(options.coordinatorCapacity);
    const env: PoolEnvironment = {
      logger: options.logger,
      slot: (name) => {
        let slot = this.slots.get(name);
        if (slot === undefined) {
          slot = new TypeSlot(name);
          this.slots.set(name, slot);
        }
        return slot;
      },
      release: (slot) => {
        slot.release();
        for (const pool of this.pools) pool.reopen(slot);
      },
      // No event objects are made for a spawn or a retirement nobody listens to.
      onSpawned: (agent) => {
        if (!options.events.hasListeners("agent:spawned")) return;
        options.events.emit(
          "agent:spawned",
          { orchestrationId: "", nodePath: "", ts: performance.now() },
          { agentId: agent.agentId, agentType: agent.typeName, level: agent.level },
        );
      },
      onRetired: (agent, reason) => {
        if (!options.events.hasListeners("agent:retired")) return;
        options.events.emit(
          "agent:retired",
          { orchestrationId: "", nodePath: "", ts: performance.now() },
          { agentId: agent.agentId, level: agent.level, reason },
        );
      },
    };
    this.pools = options.levels.map((name, index) => {
      const types = options.agentTypes.filter((t) => servesLevel(t, name, index));
      return new LevelPool(name, index, options.caps[index]!, types, coordinator, env);
    });
  }

  /** The pool of level `index`. */
  pool(index: number): LevelPool {
    const pool = this.pools[index];
    if (pool === undefined) {
      throw new EchelonError(
        CoreErrorCode.CAPACITY_EXCEEDED,
        `No level ${index}: the hierarchy has ${this.pools.length} levels (maxDepth ${this.pools.length - 1}). Raise maxDepth.`,
      );
    }
    return pool;
  }

  /**
   * Leaf slots available at a level: for each agent type that can run leaves there (or only
   * those named in `typeNames`), `min(maxInstances, cap) × capacity`, summed, and never more
   * than `cap ×` the largest capacity.
   */
  leafSlots(levelIndex: number, typeNames?: ReadonlySet<string>): number {
    const pool = this.pool(levelIndex);
    const types = this.options.agentTypes.filter(
      (t) => servesLevel(t, pool.name, levelIndex) && (typeNames === undefined || typeNames.has(t.name)),
    );
    let slots = 0;
    for (const t of types) slots += Math.min(t.maxInstances ?? pool.cap, pool.cap) * t.capacity;
    const maxCapacity = types.reduce((m, t) => Math.max(m, t.capacity), 0);
    return Math.min(slots, pool.cap * maxCapacity);
  }

  /** A snapshot of every level. */
  snapshot(): HierarchySnapshot {
    const now = performance.now();
    const levels = this.pools.map((pool): LevelSnapshot => {
      const caps = new Set<string>();
      for (const t of this.options.agentTypes) {
        if (servesLevel(t, pool.name, pool.index)) for (const c of t.capabilities) caps.add(c);
      }
      return {
        name: pool.name,
        index: pool.index,
        cap: pool.cap,
        live: pool.live,
        load: pool.agents.reduce((n, a) => n + a.inFlight, 0),
        capacity: pool.agents.reduce((n, a) => n + a.capacity, 0),
        waiting: pool.waiting,
        peakLive: pool.peakLive,
        peakConcurrency: pool.peakWorkersInFlight,
        capabilities: [...caps].sort(),
        agents: pool.agents.map((a) => ({
          id: a.agentId,
          type: a.typeName,
          role: a.role,
          capabilities: a.capabilities,
          capacity: a.capacity,
          inFlight: a.inFlight,
          completed: a.completed,
          busyMs: a.busyTime(now),
        })),
      };
    });
    return { levels, totalAgents: levels.reduce((n, l) => n + l.agents.length, 0) };
  }

  /**
   * Retires every agent (disposing it) and rejects waiting requests.
   *
   * @param waitMs - longest wait for the agents' `dispose` (one that hangs is left behind and logged)
   */
  async shutdown(waitMs: number): Promise<void> {
    const error = new EchelonError(CoreErrorCode.ORCHESTRATOR_SHUT_DOWN, "The orchestrator was shut down.");
    const pending = new Set<string>();
    const disposals: Promise<void>[] = [];
    for (const pool of this.pools) {
      pool.close(error);
      for (const agent of [...pool.agents]) {
        pending.add(agent.agentId);
        disposals.push(
          Promise.resolve()
            .then(() => agent.agent.dispose?.())
            .catch((e: unknown) =>
              this.options.logger.warn("agent dispose failed", {
                agentId: agent.agentId,
                message: String(e),
              }),
            )
            .finally(() => pending.delete(agent.agentId)),
        );
        agent.retired = true;
      }
      pool.agents.length = 0;
      pool.live = 0;
    }
    // A dispose that never settles must not hold shutdown: wait at most `waitMs`.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([Promise.all(disposals), expired]);
    clearTimeout(timer);
    if (pending.size > 0) {
      this.options.logger.warn("agents did not finish disposing in time", { agents: [...pending], waitMs });
    }
  }
}

/** True when `type` may be spawned at the level. */
export function servesLevel(type: AgentType, name: string, index: number): boolean {
  const levels = type.levels;
  if (levels === undefined || levels.length === 0) return true;
  return levels.some((l) => l === name || l === index);
}

function coordinatorType(capacity: number): AgentType {
  return {
    name: COORDINATOR_TYPE,
    capabilities: [],
    capacity,
    spawn(id: string): Agent {
      return {
        id,
        type: COORDINATOR_TYPE,
        capabilities: [],
        capacity,
        execute: () =>
          Promise.reject(
            new EchelonError(
              CoreErrorCode.PATTERN_FAILED,
              "Coordinator agents hold slots; they run no work.",
            ),
          ),
      };
    },
  };
}

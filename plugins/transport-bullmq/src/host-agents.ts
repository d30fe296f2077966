import type { Agent, AgentType, Logger } from "@echelon/core";
import { abortError, isAgent, singleAgentType } from "@echelon/core/plugin";

/** An agent leased for one job. */
export interface LeasedAgent {
  readonly agent: Agent;
  readonly type: AgentType;
  /** The instance's bookkeeping (internal to {@link HostAgents}). */
  readonly instance: Instance;
}

/** What a lease waits with: the job's abort state, its signal read only when it must wait. */
export interface LeaseAbort {
  readonly aborted: boolean;
  readonly signal: AbortSignal;
}

/** One spawned agent and the jobs it runs now. */
export interface Instance {
  readonly agent: Agent;
  load: number;
  /** Disposed with the host: a late release leaves it alone. */
  gone: boolean;
}

interface TypeSlots {
  readonly type: AgentType;
  /** Jobs one instance runs at once (`capacity`, at least 1). */
  readonly capacity: number;
  readonly instances: Instance[];
  /** Instances with a free unit of capacity (each once); the last one is leased first. */
  readonly free: Instance[];
  spawning: number;
  readonly waiters: Array<() => void>;
}

function levelAllowed(type: AgentType, level: string, levelIndex: number): boolean {
  const levels = type.levels;
  return levels === undefined || levels.length === 0 || levels.includes(level) || levels.includes(levelIndex);
}

function offers(type: AgentType, capabilities: readonly string[]): boolean {
  return capabilities.every((c) => type.capabilities.includes(c));
}

/**
 * The agents of a worker host: agent types spawn instances lazily (up to `maxInstances`), each
 * runs `capacity` jobs at once, idle ones are reused, and all are disposed when the host closes.
 * The host's `concurrency` bounds jobs overall; a job waits here only when its type is at
 * `maxInstances` with every instance busy.
 */
export class HostAgents {
  private readonly slots: TypeSlots[];
  private readonly byType = new Map<AgentType, TypeSlots>();
  private counter = 0;

  /**
   * @param entries - agent types (or ready agents) the host serves
   * @param hostId - prefix of spawned agent ids
   * @param logger - handed to spawned agents
   */
  constructor(
    entries: readonly (AgentType | Agent)[],
    private readonly hostId: string,
    private readonly logger: Logger,
  ) {
    this.slots = entries.map((entry) => {
      const type = isAgent(entry) ? singleAgentType(entry) : entry;
      return {
        type,
        capacity: Math.max(1, type.capacity),
        instances: [],
        free: [],
        spawning: 0,
        waiters: [],
      };
    });
    for (const slots of this.slots) if (!this.byType.has(slots.type)) this.byType.set(slots.type, slots);
  }

  /** Names and capabilities of the types served, for logs and errors. */
  describe(): Array<{ readonly name: string; readonly capabilities: readonly string[] }> {
    return this.slots.map((s) => ({ name: s.type.name, capabilities: s.type.capabilities }));
  }

  /**
   * The type for a job: the first (in the host's order) allowed at the job's level that offers
   * every capability the task requires — or, for a task that requires none, every capability
   * the orchestrator's remote agent type declared.
   *
   * @returns the type, or `null` when this host has none
   */
  match(
    required: readonly string[],
    offered: readonly string[],
    level: string,
    levelIndex: number,
  ): AgentType | null {
    const wanted = required.length > 0 ? required : offered;
    for (const slots of this.slots) {
      if (levelAllowed(slots.type, level, levelIndex) && offers(slots.type, wanted)) return slots.type;
    }
    return null;
  }

  /**
   * Leases an instance of `type` with a free unit of capacity, spawning one if allowed, else
   * waiting for one to free up.
   *
   * @throws the signal's reason when it aborts while waiting; what `spawn` throws
   */
  async lease(type: AgentType, level: string, levelIndex: number, abort: LeaseAbort): Promise<LeasedAgent> {
    const slots = this.byType.get(type)!;
    for (;;) {
      if (abort.aborted) throw abortError(abort.signal);
      const free = slots.free[slots.free.length - 1];
      if (free !== undefined) {
        if (++free.load >= slots.capacity) slots.free.pop();
        return { agent: free.agent, type, instance: free };
      }
      if (slots.instances.length + slots.spawning < (type.maxInstances ?? Number.POSITIVE_INFINITY)) {
        slots.spawning++;
        try {
          const agent = await type.spawn(`${this.hostId}/${type.name}#${++this.counter}`, {
            level,
            levelIndex,
            logger: this.logger,
          });
          const instance: Instance = { agent, load: 1, gone: false };
          slots.instances.push(instance);
          if (slots.capacity > 1) slots.free.push(instance);
          return { agent, type, instance };
        } finally {
          slots.spawning--;
        }
      }
      const signal = abort.signal;
      await new Promise<void>((resolve) => {
        const wake = () => {
          signal.removeEventListener("abort", wake);
          const at = slots.waiters.indexOf(wake);
          if (at >= 0) slots.waiters.splice(at, 1);
          resolve();
        };
        slots.waiters.push(wake);
        signal.addEventListener("abort", wake, { once: true });
      });
    }
  }

  /** Gives a unit of capacity back and wakes a waiter. */
  release(leased: LeasedAgent): void {
    const slots = this.byType.get(leased.type);
    const instance = leased.instance;
    if (slots === undefined || instance.gone || instance.load === 0) return;
    // Full until now: it has a free unit again.
    if (instance.load-- === slots.capacity) slots.free.push(instance);
    slots.waiters.shift()?.();
  }

  /** Disposes every spawned agent (errors are logged, never thrown). */
  async dispose(): Promise<void> {
    const all = this.slots.flatMap((s) => {
      s.free.length = 0;
      return s.instances.splice(0).map((i) => {
        i.gone = true;
        return i.agent;
      });
    });
    await Promise.all(
      all.map(async (agent) => {
        try {
          await agent.dispose?.();
        } catch (error) {
          this.logger.warn("an agent failed to dispose", {
            agentId: agent.id,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }),
    );
  }
}

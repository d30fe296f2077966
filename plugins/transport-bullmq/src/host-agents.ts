import type { Agent, AgentType, Logger } from "@echelon/core";
import { abortError, isAgent, singleAgentType } from "@echelon/core/plugin";

/** An agent leased for one job. */
export interface LeasedAgent {
  readonly agent: Agent;
  readonly type: AgentType;
}

interface Instance {
  readonly agent: Agent;
  load: number;
}

interface TypeSlots {
  readonly type: AgentType;
  readonly instances: Instance[];
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
    this.slots = entries.map((entry) => ({
      type: isAgent(entry) ? singleAgentType(entry) : entry,
      instances: [],
      spawning: 0,
      waiters: [],
    }));
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
    const allowed = this.slots.filter((s) => levelAllowed(s.type, level, levelIndex));
    return (allowed.find((s) => offers(s.type, wanted)) ?? null)?.type ?? null;
  }

  /**
   * Leases an instance of `type` with a free unit of capacity, spawning one if allowed, else
   * waiting for one to free up.
   *
   * @throws the signal's reason when it aborts while waiting; what `spawn` throws
   */
  async lease(type: AgentType, level: string, levelIndex: number, signal: AbortSignal): Promise<LeasedAgent> {
    const slots = this.slots.find((s) => s.type === type)!;
    for (;;) {
      if (signal.aborted) throw abortError(signal);
      const free = slots.instances.find((i) => i.load < Math.max(1, type.capacity));
      if (free !== undefined) {
        free.load++;
        return { agent: free.agent, type };
      }
      if (slots.instances.length + slots.spawning < (type.maxInstances ?? Number.POSITIVE_INFINITY)) {
        slots.spawning++;
        try {
          const agent = await type.spawn(`${this.hostId}/${type.name}#${++this.counter}`, {
            level,
            levelIndex,
            logger: this.logger,
          });
          slots.instances.push({ agent, load: 1 });
          return { agent, type };
        } finally {
          slots.spawning--;
        }
      }
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
    const slots = this.slots.find((s) => s.type === leased.type);
    const instance = slots?.instances.find((i) => i.agent === leased.agent);
    if (slots === undefined || instance === undefined) return;
    instance.load = Math.max(0, instance.load - 1);
    slots.waiters.shift()?.();
  }

  /** Disposes every spawned agent (errors are logged, never thrown). */
  async dispose(): Promise<void> {
    const all = this.slots.flatMap((s) => s.instances.splice(0).map((i) => i.agent));
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

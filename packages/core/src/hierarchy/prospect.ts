import type { AgentType } from "../agents/agent.js";
import type { AgentLoad } from "../distribution/strategy.js";
import type { TypeSlot } from "./type-slot.js";

/**
 * A candidate that is not an agent yet: an agent type the pool could spawn for the task. It
 * looks to a strategy like an idle agent that has done nothing so far, with the id the new
 * agent will get, so choosing it means "spawn one of these".
 */
export class Prospect implements AgentLoad {
  readonly inFlight = 0;
  readonly completed = 0;
  readonly busyMs = 0;

  /**
   * @param type - the agent type
   * @param slot - the type's shared state (instances, ids)
   * @param typeIndex - the type's position among the level's worker types
   * @param level - the level's name
   */
  constructor(
    readonly type: AgentType,
    readonly slot: TypeSlot,
    readonly typeIndex: number,
    readonly level: string,
  ) {}

  /** The id the spawned agent would get; made only when a strategy reads it. */
  get agentId(): string {
    return this.slot.peekId();
  }

  get agentType(): string {
    return this.type.name;
  }

  get capabilities(): readonly string[] {
    return this.type.capabilities;
  }

  get capacity(): number {
    return this.type.capacity;
  }
}

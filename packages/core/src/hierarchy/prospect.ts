import type { AgentType } from "../agents/agent.js";
import type { AgentLoad } from "../distribution/strategy.js";

/**
 * A candidate that is not an agent yet: an agent type the pool could spawn for the task. It
 * looks to a strategy like an idle agent that has done nothing so far, with the id the new
 * agent will get, so choosing it means "spawn one of these".
 */
export class Prospect implements AgentLoad {
  /** The id the spawned agent will get (updated before each offer). */
  agentId = "";
  readonly inFlight = 0;
  readonly completed = 0;
  readonly busyMs = 0;

  constructor(
    readonly type: AgentType,
    readonly level: string,
  ) {}

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

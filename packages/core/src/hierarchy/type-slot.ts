import type { AgentType } from "../agents/agent.js";

/**
 * What the hierarchy keeps per agent type name, shared by every level the type serves: live
 * instances (for `maxInstances`) and the number of ids handed out. Plain fields, so a strategy
 * decision over thousands of types reads them without a map lookup or an allocation per type.
 */
export class TypeSlot {
  /** Instances alive (or being spawned) across all levels. */
  instances = 0;
  /** Instances ever spawned; the next agent is `<name>#<spawned + 1>`. */
  private spawned = 0;

  constructor(readonly name: string) {}

  /** True when `type` (of this slot's name) has reached its `maxInstances`. */
  exhausts(type: AgentType): boolean {
    const max = type.maxInstances;
    return max !== undefined && this.instances >= max;
  }

  /** Counts a new instance and takes its id. */
  take(): string {
    this.instances++;
    return `${this.name}#${++this.spawned}`;
  }

  /** The id the next instance will get (without taking it). */
  peekId(): string {
    return `${this.name}#${this.spawned + 1}`;
  }

  /** Records that an instance went away (retired, or its spawn failed). */
  release(): void {
    this.instances--;
  }
}

import type { Agent } from "../agents/agent.js";
import type { AgentLoad } from "../distribution/strategy.js";
import type { TypeSlot } from "./type-slot.js";

/** Whether a pooled agent runs leaves or holds coordinator slots for composite nodes. */
export type AgentRole = "worker" | "coordinator";

/**
 * An agent in a level's pool with its live load. Implements {@link AgentLoad} directly so
 * strategies read it without a copy per decision.
 */
export class PooledAgent implements AgentLoad {
  inFlight = 0;
  completed = 0;
  busyMs = 0;
  retired = false;
  /** True for a retired agent whose executions have not settled: its slot still counts against the cap. */
  holdsSlot = false;
  /** Monotonic time the agent last went from idle to busy. */
  private busySince = 0;
  /** Id of the run meter that last counted this agent (see `RunMeter.leafStarted`); 0: none. */
  meteredBy = 0;

  /** Name of the agent's type. */
  readonly typeName: string;

  /**
   * @param slot - its type's shared state (instances, ids)
   * @param typeIndex - its type's position among the level's worker types; -1 for a coordinator
   */
  constructor(
    readonly agent: Agent,
    readonly role: AgentRole,
    readonly level: string,
    readonly levelIndex: number,
    readonly slot: TypeSlot,
    readonly typeIndex: number,
  ) {
    this.typeName = slot.name;
  }

  get agentId(): string {
    return this.agent.id;
  }

  get agentType(): string {
    return this.typeName;
  }

  get capabilities(): readonly string[] {
    return this.agent.capabilities;
  }

  get capacity(): number {
    return this.agent.capacity;
  }

  /** True when the agent offers every capability in `required`. */
  covers(required: readonly string[]): boolean {
    if (required.length === 0) return true;
    const offered = this.agent.capabilities;
    for (const c of required) if (!offered.includes(c)) return false;
    return true;
  }

  /** Records one more task in flight. */
  begin(now: number): void {
    if (this.inFlight === 0) this.busySince = now;
    this.inFlight++;
  }

  /** Records one task finished. */
  end(now: number): void {
    this.inFlight--;
    this.completed++;
    if (this.inFlight === 0) this.busyMs += now - this.busySince;
  }

  /** Busy time so far, including the current busy stretch. */
  busyTime(now: number): number {
    return this.inFlight > 0 ? this.busyMs + (now - this.busySince) : this.busyMs;
  }
}

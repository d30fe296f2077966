import { computeLowerBound, criticalPathMs } from "../metrics/overhead.js";
import type { OrchestrationMetrics } from "../model/result.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { Plan } from "../model/task.js";
import type { RunState } from "../run-state/run-state.js";
import { busyByPlanNode } from "../run-state/status-view.js";
import type { Runtime } from "./runtime.js";

/**
 * What a run measures beyond its events: distinct agents, the deepest level reached, the leaf
 * slots of the agent types that ran leaves, and the peak of leaves running at once.
 */
let meters = 0;

export class RunMeter {
  /** Marks the agents this meter counted already (a number: an agent keeps no meter alive). */
  private readonly id = ++meters;
  private readonly agents = new Set<string>();
  private deepest = -1;
  /** Level index → agent types that ran leaves there. */
  private readonly leafTypes = new Map<number, Set<string>>();
  private runningLeaves = 0;
  private peakLeaves = 0;

  /** Distinct agents that executed or coordinated a node. */
  get agentsUsed(): number {
    return this.agents.size;
  }

  /** Levels the run reached (root only = 1), 0 before any node ran. */
  get levelsDeep(): number {
    return this.deepest + 1;
  }

  /** Notes that a node at `depth` started. */
  reached(depth: number): void {
    if (depth > this.deepest) this.deepest = depth;
  }

  /** Notes an agent that coordinated a node. */
  used(agentId: string): void {
    this.agents.add(agentId);
  }

  /** Notes that a leaf attempt started at `levelIndex` (the agent's level: an agent stays at one) on `agent`. */
  leafStarted(levelIndex: number, agent: PooledAgent): void {
    // Each agent is added once per run, not per leaf (two Set look-ups per leaf in a pool of 10,000).
    if (agent.meteredBy !== this.id) {
      agent.meteredBy = this.id;
      this.agents.add(agent.agentId);
      let types = this.leafTypes.get(levelIndex);
      if (types === undefined) {
        types = new Set();
        this.leafTypes.set(levelIndex, types);
      }
      types.add(agent.typeName);
    }
    this.runningLeaves++;
    if (this.runningLeaves > this.peakLeaves) this.peakLeaves = this.runningLeaves;
  }

  /** Notes that a leaf attempt ended. */
  leafEnded(): void {
    this.runningLeaves--;
  }

  /**
   * The measured figures behind `coordinationOverhead`: the busy time comes from the run
   * state (attempt spans between events), the slots from the agent types that ran leaves.
   */
  measure(wallMs: number, state: RunState, plan: Plan | null, runtime: Runtime): OrchestrationMetrics {
    const totalBusyMs = state.busy.totalMs;
    const patterns = runtime.patterns;
    const criticalPath =
      plan === null
        ? 0
        : criticalPathMs(
            plan.root,
            busyByPlanNode(state),
            (name) => patterns.get(name)?.value.ordering ?? "parallel",
          );
    let leafSlots = 0;
    for (const [level, types] of this.leafTypes) leafSlots += runtime.hierarchy.leafSlots(level, types);
    return {
      wallMs,
      lowerBoundMs: computeLowerBound(criticalPath, totalBusyMs, leafSlots),
      criticalPathMs: criticalPath,
      totalBusyMs,
      leafSlots: Math.max(1, leafSlots),
      peakConcurrency: this.peakLeaves,
    };
  }
}

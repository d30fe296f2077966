import type { DistributionStrategy } from "@echelon/core/plugin";
import type { BuiltInStrategyOptions } from "./strategies/built-in.js";

/** An agent registered with a {@link WorkloadDistributor}. */
export interface AgentRegistration {
  /** Unique id. */
  readonly agentId: string;
  /** Agent type name. Default `"agent"`. */
  readonly agentType?: string;
  /** Level the agent serves at; tasks that name a level only go to agents of that level. Default `"primary"`. */
  readonly level?: string;
  /** Capabilities offered. Default none. */
  readonly capabilities?: readonly string[];
  /** Tasks it can run at once, at least 1. Default 1. */
  readonly capacity?: number;
}

/** A task to place: only what the strategy needs; everything else has a default. */
export interface TaskToAssign {
  /** Task id. Default `task-<n>`. */
  readonly taskId?: string;
  /** Capabilities required; only agents offering all of them are candidates. */
  readonly capabilities?: readonly string[];
  /** Priority, higher first. Default 0. */
  readonly priority?: number;
  /** Level the task runs at; when given, only agents of that level are candidates. */
  readonly level?: string;
  /** Node metadata (e.g. `complexity`) read by strategies. */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Orchestration id. Default `""`. */
  readonly orchestrationId?: string;
  /** Node path. Default the task id. */
  readonly nodePath?: string;
  /** Monotonic time the task started waiting. Default `performance.now()`. */
  readonly enqueuedAt?: number;
  /** Name of a registered strategy to use for this task instead of the distributor's own. */
  readonly strategy?: string;
}

/** Options of a {@link WorkloadDistributor}. */
export interface WorkloadDistributorOptions {
  /** Strategy to use: a registered name or a strategy object. Default `"least-loaded"`. */
  readonly strategy?: string | DistributionStrategy;
  /** Extra strategies to register besides the four built-ins (third-party plugins). */
  readonly strategies?: readonly DistributionStrategy[];
  /** Options of the built-in strategies (proficiency table, aging, …). */
  readonly builtIn?: BuiltInStrategyOptions;
}

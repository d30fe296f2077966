import type { EchelonError } from "../errors/echelon-error.js";
import type { Logger } from "../util/logger.js";

/** The work handed to an agent for one leaf task. */
export interface AgentWork {
  /** Id of the plan node. */
  readonly taskId: string;
  /** Path of the plan node in the tree. */
  readonly nodePath: string;
  /** What to do, in words. */
  readonly description: string;
  /** The task's input (JSON). For pattern children this is what the pattern passed. */
  readonly input: unknown;
  /** Capabilities the task requires. */
  readonly capabilities: readonly string[];
  /** Scheduling priority. */
  readonly priority: number;
  /** The node's metadata. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Everything an agent gets besides the work: cancellation, attempt, idempotency, progress. */
export interface AgentContext {
  /** Aborted when the task times out, its orchestration is cancelled, or a fail-fast sibling failed. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** `orchestrationId/nodePath[#invocation]`: the same across retries of one task invocation. */
  readonly idempotencyKey: string;
  /** Id of the orchestration the work belongs to. */
  readonly orchestrationId: string;
  /** Level the agent serves at (`primary`, `secondary`, …). */
  readonly level: string;
  /** Report progress in 0..1, optionally with a message; emitted as `task:progressed`. */
  report(progress: number, message?: string): void;
  /** Logger scoped to the task. */
  readonly logger: Logger;
  /**
   * Stops the whole orchestration with a coded reason (a spent token budget, a revoked
   * credential): running tasks are aborted, no new task starts, and the result fails with
   * `error` while keeping what completed. Absent outside an orchestration.
   */
  stopOrchestration?(error: EchelonError): void;
}

/**
 * Anything that does work: a function, a worker thread, a child process, an LLM call, a
 * remote worker. Agents are created by {@link AgentType}s and pooled per level.
 */
export interface Agent {
  /** Unique id within the orchestrator. */
  readonly id: string;
  /** Name of the agent type that spawned it. */
  readonly type: string;
  /** Capabilities offered. */
  readonly capabilities: readonly string[];
  /** How many tasks the agent runs at once. */
  readonly capacity: number;
  /**
   * Run one task. Must honour `ctx.signal`; the resolved value must be JSON-serialisable. The
   * value is read-only once resolved: results, events and the journal hold it as it is (no
   * copy), so do not change it afterwards.
   */
  execute(work: AgentWork, ctx: AgentContext): Promise<unknown>;
  /** Release resources (threads, processes, connections). Called once, on retirement or shutdown. */
  dispose?(): Promise<void> | void;
}

/** Facts about the level an agent is spawned into. */
export interface SpawnContext {
  /** Level name. */
  readonly level: string;
  /** Level index (0 = primary). */
  readonly levelIndex: number;
  /** Logger for the agent. */
  readonly logger: Logger;
}

/**
 * A kind of agent, registered by a plugin or passed in `agents`: the hierarchy spawns
 * instances lazily, up to each level's cap, and reuses idle ones.
 */
export interface AgentType {
  /** Unique name, e.g. `function:summarise`, `worker:hash`. */
  readonly name: string;
  /** Capabilities every instance offers. */
  readonly capabilities: readonly string[];
  /** Tasks one instance runs at once. Default 1. */
  readonly capacity: number;
  /**
   * Levels the type may be spawned at (names or indices); empty or absent = any level.
   * A leaf runs at its own depth's level, so a type restricted to `tertiary` serves only
   * leaves at depth 2.
   */
  readonly levels?: readonly (string | number)[];
  /** Most instances alive at once across all levels; default unbounded (level caps still apply). */
  readonly maxInstances?: number;
  /** Create one instance. */
  spawn(id: string, context: SpawnContext): Agent | Promise<Agent>;
}

/** True when `value` looks like an {@link AgentType} (has `spawn`). */
export function isAgentType(value: unknown): value is AgentType {
  return typeof value === "object" && value !== null && typeof (value as AgentType).spawn === "function";
}

/** True when `value` looks like an {@link Agent} (has `execute`). */
export function isAgent(value: unknown): value is Agent {
  return typeof value === "object" && value !== null && typeof (value as Agent).execute === "function";
}

import type { EchelonErrorJson } from "../errors/echelon-error.js";
import type { Plan, PlanNode } from "../model/task.js";
import type { OrchestrationResult } from "../model/result.js";

/** Fields every event carries. */
export interface EventBase {
  /** Orchestration the event belongs to; `""` for orchestrator-wide events (agent pool). */
  readonly orchestrationId: string;
  /** Path of the node (or node invocation) concerned; `""` when none. */
  readonly nodePath: string;
  /** Monotonic timestamp, milliseconds (`performance.now()`). */
  readonly ts: number;
}

/**
 * Kind of a task: a `leaf` run by an agent, a `composite` whose children a pattern coordinates,
 * or the `compensation` that undoes a completed task (run by an agent, like a leaf).
 */
export type TaskKind = "leaf" | "composite" | "compensation";

/**
 * Payloads of every event, by name. Plugins add their own by module augmentation:
 *
 * @example
 * ```ts
 * declare module "@echelon/core" {
 *   interface EchelonEventMap { "saga:stepCompensated": { step: string } }
 * }
 * ```
 */
export interface EchelonEventMap {
  /** An orchestration began; carries the full plan, so replay can rebuild the tree. */
  "orchestration:started": {
    /** Id of the task (the plan's root node id). */
    readonly taskId: string;
    /** The validated plan about to run. JSON. */
    readonly plan: Plan;
    /** Level names by depth, primary (root) first. */
    readonly levels: readonly string[];
    /** Wall-clock start, epoch milliseconds (`Date.now()`). */
    readonly startedAtEpochMs: number;
  };
  /** Terminal event of a run whose root completed: exactly one terminal event per orchestration. */
  "orchestration:completed": {
    /** The final result, as `orchestrateComplexTask` returns it. */
    readonly result: OrchestrationResult;
  };
  /** Terminal event of a run that failed (its `result.error` says why). */
  "orchestration:failed": {
    /** The final result, with `success: false` and the coded error. */
    readonly result: OrchestrationResult;
  };
  /** Terminal event of a run that was cancelled. */
  "orchestration:cancelled": {
    /** The final result, with `state: "cancelled"`. */
    readonly result: OrchestrationResult;
  };
  /**
   * A run was picked up again from its journal (after a crash or a restart) by `owner`; tasks
   * that were running when the journal stopped will run again.
   */
  "orchestration:recovered": {
    /** The orchestrator's `ownerId` that resumed the run (the lease owner); `""` when none was named. */
    readonly owner: string;
    /** Wall-clock time of the recovery, epoch milliseconds. */
    readonly startedAtEpochMs: number;
  };
  /** The run was asked to stop (a cancel); a resume after a crash finishes cancelling it. */
  "orchestration:cancelling": {
    /** Why: the caller's reason, or a default naming the orchestration. */
    readonly reason: string;
  };
  /** Dispatch of new leaves stopped; running leaves go on. No payload. */
  "orchestration:paused": Record<string, never>;
  /** Dispatch of new leaves went on after `orchestration:paused`. No payload. */
  "orchestration:resumed": Record<string, never>;
  /** A task waits for an agent at its level (the level is at its cap, or no free agent fits). */
  "task:queued": {
    /** Id of the plan node (also for an invocation or a compensation of it). */
    readonly taskId: string;
    /** Leaf, composite or compensation. */
    readonly kind: TaskKind;
    /** Name of the level it waits at. */
    readonly level: string;
  };
  /** An attempt started on an agent (leaf) or a coordinator took the node (composite). */
  "task:started": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Leaf, composite or compensation. */
    readonly kind: TaskKind;
    /** Agent running the attempt (a coordinator for a composite). */
    readonly agentId: string;
    /** Name of that agent's type (`coordinator` for a composite). */
    readonly agentType: string;
    /** Name of the level the task runs at. */
    readonly level: string;
    /** Attempt number, from 1 (always 1 for a composite). */
    readonly attempt: number;
    /** Pattern coordinating the children of a composite; `null` for leaves and compensations. */
    readonly pattern: string | null;
  };
  /** A running agent reported progress through `AgentContext.report`. */
  "task:progressed": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Fraction done, clamped to 0..1. */
    readonly progress: number;
    /** The agent's optional note. */
    readonly message?: string;
  };
  /** An attempt failed and another will start after a backoff. */
  "task:retrying": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Number of the attempt that failed, from 1 (the next one is `attempt + 1`). */
    readonly attempt: number;
    /** Backoff before the next attempt, milliseconds (`backoffMs × factor^(attempt−1)`, at most `maxBackoffMs`). */
    readonly delayMs: number;
    /** The failure of the attempt. */
    readonly error: EchelonErrorJson;
  };
  /** A task ended with an output. */
  "task:completed": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Leaf, composite or compensation. */
    readonly kind: TaskKind;
    /** Agent that ran the successful attempt (the coordinator for a composite). */
    readonly agentId: string;
    /** The agent's (or pattern's) output. JSON. */
    readonly output: unknown;
    /** Duration of the successful attempt (the pattern's run for a composite), milliseconds. */
    readonly durationMs: number;
    /** Attempts used, from 1. */
    readonly attempts: number;
  };
  /** A task failed for good: retries used up, or a failure that retrying cannot fix. */
  "task:failed": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Leaf, composite or compensation. */
    readonly kind: TaskKind;
    /** Agent of the last attempt; `null` when it failed before reaching one (no slot, spawn failure, unknown pattern). */
    readonly agentId: string | null;
    /** The final failure, coded. */
    readonly error: EchelonErrorJson;
    /** Attempts made (0 when none could start). */
    readonly attempts: number;
  };
  /** A task was stopped (or never started) because the run or an enclosing pattern gave up on it. */
  "task:cancelled": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** Leaf, composite or compensation. */
    readonly kind: TaskKind;
    /** The cancellation message (the cancel's reason, a timeout, a fail-fast sibling). */
    readonly reason: string;
  };
  /** A pattern decided not to run a task (a failed dependency, an early stop). */
  "task:skipped": {
    /** Id of the plan node. */
    readonly taskId: string;
    /** The pattern's reason, in words. */
    readonly reason: string;
  };
  /** A completed task was undone by its compensation. */
  "task:compensated": {
    /** Id of the plan node that was undone. */
    readonly taskId: string;
    /** The compensation's output (`null` when the pattern undid the task itself). JSON. */
    readonly output: unknown;
  };
  /**
   * The plan grew: a node reached at run time got its children (`expand`). They were validated
   * and checked before any of them starts; `tasks` is how many tasks they add (compensations
   * not counted). Journaled like any event, so replay and resume rebuild the same tree.
   */
  "plan:expanded": {
    /** Id of the node that grew. */
    readonly taskId: string;
    /** Pattern coordinating its new children (`null`: a decomposition found nothing to split; the node is a leaf). */
    readonly pattern: string | null;
    /** That pattern's options. */
    readonly patternOptions: Readonly<Record<string, unknown>>;
    /** The new children, at their real paths and depths. */
    readonly children: readonly PlanNode[];
    /** Tasks they add (their whole subtrees, compensations not counted). */
    readonly tasks: number;
  };
  /** A pattern began coordinating a composite node's children. */
  "pattern:started": {
    /** Pattern name. */
    readonly pattern: string;
    /** Number of children it coordinates. */
    readonly children: number;
  };
  /** A pattern returned an outcome. */
  "pattern:completed": {
    /** Pattern name. */
    readonly pattern: string;
    /** Time the pattern ran, milliseconds. */
    readonly durationMs: number;
    /** The outcome's `PatternStatus`: `completed`, or `partial` when it accepted missing children. */
    readonly status: string;
  };
  /** A pattern threw (or broke its contract); the composite fails or is cancelled with this error. */
  "pattern:failed": {
    /** Pattern name. */
    readonly pattern: string;
    /** Time the pattern ran before failing, milliseconds. */
    readonly durationMs: number;
    /** The failure, coded (`ECHELON_PATTERN_FAILED` for a broken contract). */
    readonly error: EchelonErrorJson;
  };
  /** An agent was spawned into a level. Orchestrator-wide: `orchestrationId` and `nodePath` are `""`. */
  "agent:spawned": {
    /** The new agent's id (`<type>#<n>`). */
    readonly agentId: string;
    /** Its agent type's name. */
    readonly agentType: string;
    /** Name of its level. */
    readonly level: string;
  };
  /** An agent was taken out of service and disposed. Orchestrator-wide, like `agent:spawned`. */
  "agent:retired": {
    /** The agent's id. */
    readonly agentId: string;
    /** Name of its level. */
    readonly level: string;
    /** Why, in words (it ignored an abort, it made room for another type, …). */
    readonly reason: string;
  };
  /** A listener threw; the run went on. */
  "bus:listenerFailed": {
    /** Name of the event whose listener threw. */
    readonly event: string;
    /** The thrown error's message. */
    readonly message: string;
  };
  /** A plugin hook that must not stop the run (a result enricher) threw; the run went on. */
  "plugin:hookFailed": {
    /** The plugin that registered the hook; `null` for one registered outside a plugin. */
    readonly plugin: string | null;
    /** The hook that threw (`observe`, `summarize`). */
    readonly hook: string;
    /** The thrown error's message. */
    readonly message: string;
  };
}

/** Name of any event. */
export type EchelonEventName = keyof EchelonEventMap & string;

/** A full event: base fields, name and payload. */
export type EchelonEvent<K extends EchelonEventName = EchelonEventName> = {
  [P in K]: EventBase & {
    /** The event's name; narrows the payload in a `switch`. */
    readonly type: P;
  } & EchelonEventMap[P];
}[K];

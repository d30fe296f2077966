import type { EchelonErrorJson } from "../errors/echelon-error.js";
import type { Plan } from "../model/task.js";
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

/** Kind of a task: a leaf run by an agent, or a composite coordinated by a pattern. */
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
    readonly taskId: string;
    readonly plan: Plan;
    readonly levels: readonly string[];
    readonly startedAtEpochMs: number;
  };
  /** Terminal events: exactly one per orchestration. */
  "orchestration:completed": { readonly result: OrchestrationResult };
  "orchestration:failed": { readonly result: OrchestrationResult };
  "orchestration:cancelled": { readonly result: OrchestrationResult };
  /**
   * A run was picked up again from its journal (after a crash or a restart) by `owner`; tasks
   * that were running when the journal stopped will run again.
   */
  "orchestration:recovered": { readonly owner: string; readonly startedAtEpochMs: number };
  /** The run was asked to stop (a cancel); a resume after a crash finishes cancelling it. */
  "orchestration:cancelling": { readonly reason: string };
  /** Dispatch of new leaves stopped (running ones go on) / went on again. */
  "orchestration:paused": Record<string, never>;
  "orchestration:resumed": Record<string, never>;
  /** A task waits for an agent at its level. */
  "task:queued": { readonly taskId: string; readonly kind: TaskKind; readonly level: string };
  /** An attempt started on an agent (leaf) or a coordinator took the node (composite). */
  "task:started": {
    readonly taskId: string;
    readonly kind: TaskKind;
    readonly agentId: string;
    readonly agentType: string;
    readonly level: string;
    readonly attempt: number;
    readonly pattern: string | null;
  };
  "task:progressed": { readonly taskId: string; readonly progress: number; readonly message?: string };
  "task:retrying": {
    readonly taskId: string;
    readonly attempt: number;
    readonly delayMs: number;
    readonly error: EchelonErrorJson;
  };
  "task:completed": {
    readonly taskId: string;
    readonly kind: TaskKind;
    readonly agentId: string;
    readonly output: unknown;
    readonly durationMs: number;
    readonly attempts: number;
  };
  "task:failed": {
    readonly taskId: string;
    readonly kind: TaskKind;
    readonly agentId: string | null;
    readonly error: EchelonErrorJson;
    readonly attempts: number;
  };
  "task:cancelled": { readonly taskId: string; readonly kind: TaskKind; readonly reason: string };
  /** A pattern decided not to run a task (a failed dependency, an early stop). */
  "task:skipped": { readonly taskId: string; readonly reason: string };
  /** A completed task was undone by its compensation. */
  "task:compensated": { readonly taskId: string; readonly output: unknown };
  "pattern:started": { readonly pattern: string; readonly children: number };
  "pattern:completed": {
    readonly pattern: string;
    readonly durationMs: number;
    readonly status: string;
  };
  "pattern:failed": {
    readonly pattern: string;
    readonly durationMs: number;
    readonly error: EchelonErrorJson;
  };
  "agent:spawned": { readonly agentId: string; readonly agentType: string; readonly level: string };
  "agent:retired": { readonly agentId: string; readonly level: string; readonly reason: string };
  /** A listener threw; the run went on. */
  "bus:listenerFailed": { readonly event: string; readonly message: string };
  /** A plugin hook that must not stop the run (a result enricher) threw; the run went on. */
  "plugin:hookFailed": { readonly plugin: string | null; readonly hook: string; readonly message: string };
}

/** Name of any event. */
export type EchelonEventName = keyof EchelonEventMap & string;

/** A full event: base fields, name and payload. */
export type EchelonEvent<K extends EchelonEventName = EchelonEventName> = {
  [P in K]: EventBase & { readonly type: P } & EchelonEventMap[P];
}[K];

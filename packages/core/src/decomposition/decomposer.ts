import type { Plan, TaskSpec } from "../model/task.js";

/** Options of one decomposition. */
export interface DecomposeOptions {
  /** Deepest node depth allowed (root = 0). */
  readonly maxDepth: number;
  /** Pattern names that are registered; a decomposer must only use these. */
  readonly patterns: readonly string[];
  /** Pattern to use for every composite node, overriding the decomposer's choice. */
  readonly pattern?: string;
  /**
   * Every capability some registered agent type offers. A decomposer that infers
   * capabilities should only assign these, so the plan can run on the agents at hand.
   */
  readonly capabilities?: readonly string[];
  /** Id of the orchestration the plan is for (absent for `orchestrator.plan()`). */
  readonly orchestrationId?: string;
  /** Aborted when the orchestration is cancelled during decomposition. */
  readonly signal?: AbortSignal;
}

/**
 * Turns a task (text or spec) into a validated {@link Plan}. Registered under the
 * `DECOMPOSER` token; the heuristic one from `@echelon/decomposer` is the usual default,
 * an LLM decomposer can replace it. Without any, core turns a spec into a plan as written
 * and a text into a single atomic task.
 */
export interface Decomposer {
  /** Name recorded as the plan's `source`. */
  readonly name: string;
  /**
   * Decomposes the task.
   *
   * @throws EchelonError with a `ECHELON_SPEC_*` code on bad input
   */
  decompose(task: string | TaskSpec, options: DecomposeOptions): Promise<Plan> | Plan;
}

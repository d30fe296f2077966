import type { EchelonErrorJson } from "../errors/echelon-error.js";
import type { EchelonEventMap, EchelonEventName } from "../events/event-map.js";
import type { Logger } from "../util/logger.js";

/**
 * One child a pattern coordinates: a plan node's child inside an orchestration, or a
 * `TaskSlice` under `PatternExecutor`. Patterns never see agents directly; they run
 * children through {@link PatternContext.runChild}.
 */
export interface PatternChild {
  /** Unique among the siblings (node id or slice id). */
  readonly id: string;
  /** What the child does. */
  readonly description: string;
  /** The child's own input (node input or slice content). */
  readonly input: unknown;
  /** Ids of siblings that must complete first. */
  readonly dependsOn: readonly string[];
  /** Capabilities required. */
  readonly capabilities: readonly string[];
  /** Scheduling priority. */
  readonly priority: number;
  /** True when the child is itself composite (runs a pattern of its own). */
  readonly composite: boolean;
  /** True when a compensation is declared for the child (a compensating task or a registered handler name). */
  readonly hasCompensation: boolean;
  /** Metadata of the node or slice. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Options of one {@link PatternContext.runChild} call. */
export interface RunChildOptions {
  /** Input to hand to the child instead of its own (pipeline stages, reducers). */
  readonly input?: unknown;
  /** Signal for this run; aborted by the pattern to stop it (fail-fast, deadlines). Linked to the pattern's own signal. */
  readonly signal?: AbortSignal;
  /**
   * Distinguishes repeated runs of one child (scatter-gather replicas, pipeline items):
   * each key is a separate task invocation with its own idempotency key and status entry.
   */
  readonly invocation?: string;
}

/** Options of one {@link PatternContext.compensateChild} call. */
export interface CompensateChildOptions {
  /** Distinguishes compensation of a particular invocation. */
  readonly invocation?: string;
}

/**
 * What a pattern gets to coordinate its children. Works the same inside an orchestration
 * and under `PatternExecutor`.
 */
export interface PatternContext {
  /** Id of the orchestration (or of the executor run). */
  readonly orchestrationId: string;
  /** Path of the composite node the pattern coordinates. */
  readonly nodePath: string;
  /** Input of the composite node. */
  readonly input: unknown;
  /** Options for the pattern: the node's `patternOptions` (or the executor call's options). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Aborted when the orchestration is cancelled or an enclosing pattern gives up on this node. */
  readonly signal: AbortSignal;
  /**
   * How many children can usefully run at once (agent slots available to them). Patterns
   * that window their work (map-reduce over 100,000 slices) keep about this many in flight.
   */
  readonly concurrency: number;
  /**
   * Runs one child to completion and returns its output. A leaf goes to an agent chosen by
   * the distribution strategy (waiting for a free slot if the level is at its cap); a
   * composite child runs its own pattern.
   *
   * @throws EchelonError with the child's failure code (`ECHELON_TASK_FAILED`, `ECHELON_TASK_TIMEOUT`, `ECHELON_CANCELLED`, …)
   */
  runChild(child: PatternChild, options?: RunChildOptions): Promise<unknown>;
  /**
   * Runs the declared compensation of a completed child, with `{ output }` of the child as
   * input. Compensation is not cancellable: it runs even when the orchestration is being
   * cancelled. Retried by the compensation's own retry policy.
   *
   * @returns the compensation's output
   * @throws EchelonError when the compensation finally fails, or none is declared (`ECHELON_PATTERN_FAILED`)
   */
  compensateChild(child: PatternChild, output: unknown, options?: CompensateChildOptions): Promise<unknown>;
  /**
   * Records that a completed child was undone by the pattern itself (an in-process handler
   * rather than {@link PatternContext.compensateChild}), so status, counts and journal show it
   * as `compensated`.
   */
  markCompensated(child: PatternChild, output: unknown, options?: CompensateChildOptions): void;
  /**
   * True when the child (invocation) is already compensated in the journal of a resumed run:
   * a pattern that undoes work in-process checks it so a step is never undone twice.
   */
  wasCompensated(child: PatternChild, options?: CompensateChildOptions): boolean;
  /**
   * Records that a child will not run (a failed dependency, an early stop), so status and
   * journal show it as `skipped` instead of leaving it pending.
   */
  skipChild(child: PatternChild, reason: string): void;
  /**
   * In a resumed run, the output the journal holds for a child that completed before the
   * resume (run at its own path, not as an invocation); `undefined` when the run is not a
   * resume or the child has to run (or failed: {@link PatternContext.runChild} reports that).
   * {@link PatternContext.runChild} gives the same output; this lets a pattern with
   * thousands of finished children take them without the per-child promise machinery.
   * Optional: contexts that do not resume leave it out.
   */
  journaledOutput?(child: PatternChild):
    | {
        /** The child's output, as the journal recorded it. */
        readonly output: unknown;
      }
    | undefined;
  /** Emits a typed event scoped to this node (e.g. `saga:stepCompensated` added by a plugin). */
  emit<K extends EchelonEventName>(type: K, payload: EchelonEventMap[K]): void;
  /** Logger scoped to the node. */
  readonly logger: Logger;
}

/** The outcome of one child, as a pattern reports it. */
export interface ChildOutcome {
  /** The child's id (node id, or slice id under `PatternExecutor`). */
  readonly id: string;
  /** How the child ended. */
  readonly status: "completed" | "failed" | "cancelled" | "compensated" | "skipped";
  /** The child's output, for a completed child whose output is kept. JSON. */
  readonly output?: unknown;
  /** The failure or cancellation, for a `failed` or `cancelled` child. */
  readonly error?: EchelonErrorJson;
  /** From the child's first start to its end, milliseconds; absent when it never ran. */
  readonly durationMs?: number;
}

/** Final status of a pattern execution that returned (did not throw). */
export type PatternStatus = "completed" | "partial";

/** What {@link Pattern.execute} returns when it succeeds. */
export interface PatternOutcome {
  /** The composite node's output (JSON). */
  readonly result: unknown;
  /** `partial` when the pattern accepted missing children (deadline, all-settled, continue policy). */
  readonly status?: PatternStatus;
  /** Per-child outcomes, when the pattern tracks them. */
  readonly children?: readonly ChildOutcome[];
  /** Pattern-specific facts (which join strategy, which steps ran …). JSON. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * How the pattern orders its children, for the critical-path part of the overhead lower bound:
 * `sequential` (one after another), `parallel` (all at once), `dag` (by `dependsOn`).
 */
export type PatternOrdering = "sequential" | "parallel" | "dag";

/** What a pattern's {@link Pattern.recommend} knows besides the children. */
export interface RecommendContext {
  /** Agents available to run the children (agent slots for `PatternExecutor`, level capacity in a plan). */
  readonly agentCount: number;
}

/**
 * How `PatternExecutor` lays slices and agents out as a (virtual) plan node for the pattern:
 * - `slices` (default): one child per slice; the agents are a pool the children share;
 * - `agent-stages`: one child per agent, in order (the agents are the stages); the slices are
 *   the items that flow through them (one slice: it is the node's input; several: a stream).
 */
export type SliceLayout = "slices" | "agent-stages";

/**
 * A coordination pattern, registered by a plugin under the `PATTERN` token. A pattern fails
 * by throwing an `EchelonError`; it succeeds by returning a {@link PatternOutcome}.
 */
export interface Pattern {
  /** Name used in plans (`mapreduce`, `pipeline`, `fork-join`, `scatter-gather`, `saga`, …). */
  readonly name: string;
  /** How children are ordered; used only to compute the measured lower bound. */
  readonly ordering: PatternOrdering;
  /** How `PatternExecutor` turns slices and agents into children. Default `slices`. */
  readonly sliceLayout?: SliceLayout;
  /** Coordinates the children. */
  execute(children: readonly PatternChild[], context: PatternContext): Promise<PatternOutcome>;
  /**
   * How well this pattern fits the children, 0 (not at all) to 1 (exactly), for automatic
   * choice. Deterministic. Patterns without it are never chosen automatically.
   */
  recommend?(children: readonly PatternChild[], context: RecommendContext): number;
  /**
   * Checks the node's pattern options (and what the children declare for the pattern, such as
   * a stage processor) before any work starts; called once for every node that uses the
   * pattern, at plan time. Throws a coded `EchelonError` (the plugin's own code) on a
   * bad option; core adds the node path.
   */
  checkOptions?(options: Readonly<Record<string, unknown>>, children: readonly PatternChild[]): void;
}

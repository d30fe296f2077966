import { EchelonError } from "@echelon/core";
import {
  abortError,
  type Pattern,
  type PatternChild,
  type PatternOutcome,
  type RecommendContext,
} from "@echelon/core/plugin";
import { buildChildGraph } from "./dag.js";
import { ForkJoinErrorCode } from "./errors.js";
import {
  type JoinFunction,
  type JoinResult,
  type JoinStrategy,
  joinAll,
  joinAllSettled,
  joinFirstSuccess,
} from "./join-strategies.js";
import { checkForkJoinOptions, type ForkJoinOptions, resolveForkJoinOptions } from "./options.js";
import { runDag } from "./scheduler.js";

/** Kind of an input for recommendation: its type, and for objects its sorted key set. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return `object:${Object.keys(value).sort().join(",")}`;
  return typeof value;
}

/** Options of {@link ForkJoinPattern.registerJoinStrategy}. */
export interface RegisterJoinOptions {
  /** Replace an existing strategy of the same name (built-ins included). Default false. */
  readonly override?: boolean;
}

declare module "@echelon/core" {
  /** Types `executor.patterns[OrchestrationPattern.FORK_JOIN]` as this package's pattern object. */
  interface PatternRegistry {
    /** The fork-join pattern, so `executor.patterns["fork-join"]` is typed as a {@link ForkJoinPattern}. */
    "fork-join": ForkJoinPattern;
  }
}

/** The fork-join pattern object: a {@link Pattern} that also carries its join-strategy registry. */
export interface ForkJoinPattern extends Pattern {
  readonly name: "fork-join";
  readonly ordering: "dag";
  /**
   * Registers a join strategy under `name`, usable as the `join` option.
   *
   * @param name - strategy name
   * @param strategy - a {@link JoinFunction} or a full {@link JoinStrategy} (with early stop)
   * @param options - `{ override: true }` to replace an existing one
   * @throws EchelonError `ECHELON_FORK_JOIN_DUPLICATE_STRATEGY` when the name is taken;
   *   `ECHELON_FORK_JOIN_INVALID_OPTIONS` for an empty name or a non-function
   */
  registerJoinStrategy(
    name: string,
    strategy: JoinStrategy | JoinFunction,
    options?: RegisterJoinOptions,
  ): void;
  /** Names of every join strategy available (built-in and registered). */
  joinStrategies(): string[];
}

/**
 * Creates the fork-join pattern: children run in parallel honouring `dependsOn` as a DAG.
 * Each child starts as soon as its own dependencies completed; a child whose dependency did
 * not complete is skipped. Results are joined by a strategy (`all`, `all-settled`,
 * `first-success` or a registered one).
 *
 * @param defaults - default options; a node's `patternOptions` override them
 * @returns the pattern object (register it with `ctx.registerPattern`, or use {@link forkJoinPattern})
 * @throws EchelonError `ECHELON_FORK_JOIN_INVALID_OPTIONS` for bad defaults
 * @example
 * ```ts
 * const forkJoin = createForkJoinPattern({ maxParallel: 4 });
 * forkJoin.registerJoinStrategy("count", (outcomes) => ({ result: outcomes.length }));
 * const run = await runPatternOnSlices(forkJoin, slices, agents, { options: { join: "count" } });
 * ```
 */
export function createForkJoinPattern(defaults: ForkJoinOptions = {}): ForkJoinPattern {
  checkForkJoinOptions(defaults as Readonly<Record<string, unknown>>);
  const strategies = new Map<string, JoinStrategy>([
    ["all", joinAll],
    ["all-settled", joinAllSettled],
    ["first-success", joinFirstSuccess],
  ]);

  const strategyNamed = (join: string): JoinStrategy => {
    const strategy = strategies.get(join);
    if (!strategy) {
      throw new EchelonError(
        ForkJoinErrorCode.UNKNOWN_STRATEGY,
        `fork-join: unknown join strategy "${join}". Use one of ${[...strategies.keys()].join(", ")} or register it with registerJoinStrategy().`,
        { details: { join, available: [...strategies.keys()] } },
      );
    }
    return strategy;
  };

  return {
    name: "fork-join",
    ordering: "dag",

    registerJoinStrategy(name, strategy, options = {}) {
      if (typeof name !== "string" || name.length === 0) {
        throw new EchelonError(
          ForkJoinErrorCode.INVALID_OPTIONS,
          "registerJoinStrategy: name must be a non-empty string.",
        );
      }
      const normalised: JoinStrategy | null =
        typeof strategy === "function"
          ? { join: strategy }
          : typeof strategy?.join === "function"
            ? strategy
            : null;
      if (normalised === null) {
        throw new EchelonError(
          ForkJoinErrorCode.INVALID_OPTIONS,
          `registerJoinStrategy("${name}"): pass a function (outcomes, context) => { result } or an object with join().`,
          { details: { name } },
        );
      }
      if (strategies.has(name) && options.override !== true) {
        throw new EchelonError(
          ForkJoinErrorCode.DUPLICATE_STRATEGY,
          `registerJoinStrategy: a join strategy named "${name}" already exists. Pick another name or pass { override: true }.`,
          { details: { name } },
        );
      }
      strategies.set(name, normalised);
    },

    joinStrategies: () => [...strategies.keys()],

    checkOptions(options, children) {
      const settings = resolveForkJoinOptions(defaults, options, 1);
      strategyNamed(settings.join);
      buildChildGraph(children);
    },

    async execute(children, ctx): Promise<PatternOutcome> {
      const settings = resolveForkJoinOptions(defaults, ctx.options, ctx.concurrency);
      const strategy = strategyNamed(settings.join);
      const graph = buildChildGraph(children);
      if (ctx.signal.aborted) throw abortError(ctx.signal, "The fork-join");
      const failurePolicy = settings.failurePolicy ?? strategy.defaultFailurePolicy ?? "fail-fast";
      const run = await runDag(children, graph, ctx, {
        maxParallel: settings.maxParallel,
        passOutputs: settings.passOutputs,
        failurePolicy,
        ...(strategy.satisfied ? { satisfied: strategy.satisfied } : {}),
      });
      if (ctx.signal.aborted) throw abortError(ctx.signal, "The fork-join");
      const strategyFailed = (error: unknown): EchelonError =>
        error instanceof EchelonError
          ? error
          : new EchelonError(
              ForkJoinErrorCode.STRATEGY_FAILED,
              `fork-join: join strategy "${settings.join}" threw: ${error instanceof Error ? error.message : String(error)}. Fix the strategy.`,
              { cause: error, details: { join: settings.join } },
            );
      if (run.strategyError !== undefined) throw strategyFailed(run.strategyError);
      let joined: JoinResult;
      try {
        joined = strategy.join(run.outcomes, {
          failurePolicy,
          firstError: run.firstError,
          settleOrder: run.settleOrder,
          options: ctx.options,
        });
        if (typeof joined !== "object" || joined === null || !("result" in joined)) {
          throw new TypeError(`it returned ${String(joined)} instead of { result }`);
        }
      } catch (error) {
        throw strategyFailed(error);
      }
      const ids = (status: string) => run.outcomes.filter((o) => o.status === status).map((o) => o.id);
      return {
        result: joined.result,
        status: joined.status ?? "completed",
        children: run.outcomes,
        details: {
          join: settings.join,
          failurePolicy,
          maxParallel: Number.isFinite(settings.maxParallel) ? settings.maxParallel : null,
          passOutputs: settings.passOutputs,
          stoppedBy: run.stoppedBy,
          completed: ids("completed"),
          failed: ids("failed"),
          aborted: ids("cancelled"),
          skipped: ids("skipped"),
          ...joined.details,
        },
      };
    },

    recommend(children: readonly PatternChild[], _context?: RecommendContext): number {
      const ids = new Set(children.map((c) => c.id));
      if (children.some((c) => c.dependsOn.some((d) => ids.has(d)))) return 0.85;
      const kinds = new Set(children.map((c) => kindOf(c.input)));
      return children.length >= 2 && kinds.size > 1 ? 0.6 : 0.3;
    },
  };
}

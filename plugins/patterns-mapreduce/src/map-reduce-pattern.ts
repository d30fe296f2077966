import { EchelonError, toEchelonError } from "@echelon/core";
import {
  abortError,
  type Pattern,
  type PatternChild,
  type PatternContext,
  type PatternOutcome,
  linkedController,
} from "@echelon/core/plugin";
import { MapReduceErrorCode } from "./errors.js";
import { createFolder, type Folder } from "./folder.js";
import { resolveRunOptions } from "./options.js";
import {
  BUILT_IN_REDUCERS,
  type CustomReducerFn,
  type CustomReducerOptions,
  customReducer,
  type Reducer,
} from "./reducer.js";
import { fitScore } from "./recommend.js";
import { windowed } from "./windowed.js";

/** One failed child under `onError: "continue"`. */
export interface MapFailure {
  /** Id of the failed child. */
  readonly id: string;
  /** Its error code. */
  readonly code: string;
  /** Its error message. */
  readonly message: string;
}

/**
 * The map-reduce pattern: maps children in parallel over the agents (at most `ctx.concurrency`
 * in flight, dispatched in child order), optionally combines each partition of `chunkSize`
 * children, and reduces with a named reducer.
 *
 * Memory: with an associative reducer (every built-in) results are reduced as they arrive and
 * only partial results separated by a still-running child are held — O(window), not O(n) —
 * so 100,000 children never hold 100,000 outputs at once (the reducer's own result, e.g.
 * `concat`, still grows with n). A non-associative custom reducer buffers every output and folds
 * them in child order at the end (O(n)). Either way the result is in child order.
 */
export class MapReducePattern implements Pattern {
  readonly name = "mapreduce";
  readonly ordering = "parallel" as const;
  private readonly reducers = new Map<string, Reducer>(BUILT_IN_REDUCERS.map((r) => [r.name, r]));

  /** @param defaults - run options applied under each run's own options */
  constructor(private readonly defaults: Readonly<Record<string, unknown>> = {}) {}

  /**
   * Registers a reducer usable by name in `patternOptions.reducer` / `.combiner`, in the fold
   * form `(accumulator, value) => accumulator` or the seed API's whole-list form
   * `(results) => result` (see {@link CustomReducerFn}).
   *
   * @param name - the reducer's name
   * @param fn - `(accumulator, value) => accumulator`, or `(results) => result`
   * @param options - `form`, `associative` (enables incremental reduction), `initial`, `override`
   * @throws EchelonError `ECHELON_MAPREDUCE_REDUCER_INVALID` for an empty name, a non-function, or a taken name without `override`
   * @example
   * ```ts
   * pattern.registerCustomReducer("longest", (a, b) => (String(b).length > String(a).length ? b : a), { associative: true });
   * pattern.registerCustomReducer("mean", (results) => (results as number[]).reduce((s, n) => s + n, 0) / results.length);
   * ```
   */
  registerCustomReducer(name: string, fn: CustomReducerFn, options: CustomReducerOptions = {}): void {
    if (typeof name !== "string" || name.length === 0 || typeof fn !== "function") {
      throw new EchelonError(
        MapReduceErrorCode.REDUCER_INVALID,
        "registerCustomReducer(name, fn): pass a non-empty name and a function (accumulator, value) => accumulator or (results) => result.",
      );
    }
    if (this.reducers.has(name) && options.override !== true) {
      throw new EchelonError(
        MapReduceErrorCode.REDUCER_INVALID,
        `A reducer named "${name}" already exists. Pick another name or pass { override: true }.`,
        { details: { reducer: name } },
      );
    }
    this.reducers.set(name, customReducer(name, fn, options));
  }

  /** Names of the reducers available (built-ins and registered), sorted. */
  reducerNames(): string[] {
    return [...this.reducers.keys()].sort();
  }

  /** Fit for automatic choice: 0.7 for ≥ 2 independent children whose inputs are of one kind, else 0.1. */
  recommend(children: readonly PatternChild[]): number {
    return fitScore(children);
  }

  /**
   * Checks the options and that the reducer (and combiner) are registered, before any work.
   *
   * @throws EchelonError `ECHELON_MAPREDUCE_OPTIONS_INVALID`, `ECHELON_MAPREDUCE_REDUCER_UNKNOWN`
   */
  checkOptions(options: Readonly<Record<string, unknown>>, children: readonly PatternChild[]): void {
    const opts = resolveRunOptions({ ...this.defaults, ...options }, children.length, 1);
    this.reducer(opts.reducer);
    if (opts.combiner !== null) this.reducer(opts.combiner);
  }

  /**
   * Maps and reduces the children.
   *
   * @throws EchelonError `ECHELON_MAPREDUCE_REDUCER_UNKNOWN`, `ECHELON_MAPREDUCE_OPTIONS_INVALID` before any work;
   *   the first failing child's error under fail-fast; `ECHELON_MAPREDUCE_REDUCE_FAILED`; `ECHELON_CANCELLED`
   */
  async execute(children: readonly PatternChild[], ctx: PatternContext): Promise<PatternOutcome> {
    const opts = resolveRunOptions({ ...this.defaults, ...ctx.options }, children.length, ctx.concurrency);
    const reducer = this.reducer(opts.reducer);
    const combiner = opts.combiner === null ? null : this.reducer(opts.combiner);
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The map-reduce run");
    const top = createFolder(reducer);
    const freshPartials = combiner === reducer && reducer.finish === undefined;
    const partitions = Math.ceil(children.length / opts.chunkSize);
    const pending = new Map<number, { folder: Folder; remaining: number; produced: number }>();
    const failures: MapFailure[] = [];
    let mapped = 0;
    let maxHeld = 0;
    let failure: EchelonError | null = null;
    const link = linkedController(ctx.signal);

    const fail = (error: EchelonError, id: string) => {
      if (failure) return;
      failure = error;
      link.controller.abort(
        new EchelonError("ECHELON_CANCELLED", `Cancelled: "${id}" failed and the map-reduce fails fast.`),
      );
    };

    const deliver = (index: number, output: unknown | typeof SKIPPED) => {
      const child = children[index]!;
      if (!combiner) {
        if (output === SKIPPED) top.skip(index);
        else top.add(index, output, child.id);
        maxHeld = Math.max(maxHeld, top.held());
        return;
      }
      const p = Math.floor(index / opts.chunkSize);
      let part = pending.get(p);
      if (!part) {
        part = {
          folder: createFolder(combiner),
          remaining: Math.min(opts.chunkSize, children.length - p * opts.chunkSize),
          produced: 0,
        };
        pending.set(p, part);
      }
      if (output === SKIPPED) part.folder.skip(index - p * opts.chunkSize);
      else {
        part.folder.add(index - p * opts.chunkSize, output, child.id);
        part.produced++;
      }
      part.remaining--;
      maxHeld = Math.max(
        maxHeld,
        top.held() + [...pending.values()].reduce((n, q) => n + q.folder.held(), 0),
      );
      if (part.remaining > 0) return;
      pending.delete(p);
      if (part.produced === 0) top.skip(p);
      // A partition folded by the reducer itself (no `finish`) yields its own accumulator,
      // which nothing else holds: the reducer may merge into it without a copy.
      else top.add(p, part.folder.result(), `partition-${p}`, freshPartials);
    };

    const runOne = async (index: number): Promise<void> => {
      const child = children[index]!;
      let output: unknown;
      try {
        output = await ctx.runChild(child, { signal: link.signal });
      } catch (error) {
        if (failure || ctx.signal.aborted) return;
        const err = toEchelonError(error, "ECHELON_TASK_FAILED");
        if (opts.onError === "continue") {
          failures.push({ id: child.id, code: err.code, message: err.message });
          deliver(index, SKIPPED);
        } else fail(err, child.id);
        return;
      }
      if (failure || ctx.signal.aborted) return;
      mapped++;
      try {
        deliver(index, output);
      } catch (error) {
        fail(toEchelonError(error, MapReduceErrorCode.REDUCE_FAILED), child.id);
      }
    };

    // Resumed: children whose outputs are in the journal are delivered at once, in order.
    const journaled = ctx.journaledOutput?.bind(ctx);
    const step =
      journaled === undefined
        ? runOne
        : (index: number): Promise<void> | undefined => {
            const known = journaled(children[index]!);
            if (known === undefined) return runOne(index);
            mapped++;
            try {
              deliver(index, known.output);
            } catch (error) {
              fail(toEchelonError(error, MapReduceErrorCode.REDUCE_FAILED), children[index]!.id);
            }
            return undefined;
          };

    try {
      await windowed(children.length, opts.window, step, () => failure !== null || ctx.signal.aborted);
    } finally {
      link.dispose();
    }
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The map-reduce run");
    if (failure) throw failure;
    const result = top.result();
    return {
      result,
      status: failures.length > 0 ? "partial" : "completed",
      details: {
        reducer: reducer.name,
        combiner: combiner?.name ?? null,
        chunkSize: opts.chunkSize,
        partitions,
        window: opts.window,
        failurePolicy: opts.onError,
        incremental: reducer.associative && (combiner === null || combiner.associative),
        mapped,
        failed: failures.length,
        maxHeldPartials: maxHeld,
        ...(opts.onError === "continue" ? { failures } : {}),
      },
    };
  }

  private reducer(name: string): Reducer {
    const reducer = this.reducers.get(name);
    if (!reducer) {
      throw new EchelonError(
        MapReduceErrorCode.REDUCER_UNKNOWN,
        `Unknown reducer "${name}". Use one of ${this.reducerNames().join(", ")} or register it with registerCustomReducer.`,
        { details: { reducer: name, known: this.reducerNames() } },
      );
    }
    return reducer;
  }
}

const SKIPPED: unique symbol = Symbol("skipped");

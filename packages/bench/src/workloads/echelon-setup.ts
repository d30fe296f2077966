import {
  HierarchicalOrchestrator as CoreOrchestrator,
  type HierarchicalOrchestratorOptions,
  type OrchestrationResult,
  type Plan,
  type TaskSpec,
} from "@echelon/core";
import { definePlugin, type EchelonPlugin, type Pattern } from "@echelon/core/plugin";
import { createOrchestrator } from "echelon";
import { EchelonError } from "@echelon/core";
import type { Extra } from "../child/protocol.js";
import type { Iteration } from "../child/trial.js";
import { BenchErrorCode } from "../errors.js";

/**
 * A minimal windowed pattern written against core's `Pattern` contract: at most
 * `ctx.concurrency` children in flight, numeric outputs summed. Used by the `echelon-core`
 * variants to tell core's cost from a pattern plugin's.
 */
export const windowSumPattern: Pattern = {
  name: "bench-window-sum",
  ordering: "parallel",
  async execute(children, ctx) {
    let next = 0;
    let sum = 0;
    const worker = async (): Promise<void> => {
      while (next < children.length) {
        const child = children[next++]!;
        const value = Number(await ctx.runChild(child));
        sum += value;
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, children.length) }, worker));
    return { result: sum };
  },
};

/**
 * The same window as {@link windowSumPattern}, every output collected in child order (what
 * `Promise.all` or p-limit give back). Used by W1's `echelon-core` variant.
 */
export const windowCollectPattern: Pattern = {
  name: "bench-window-collect",
  ordering: "parallel",
  async execute(children, ctx) {
    let next = 0;
    const outputs = new Array<unknown>(children.length);
    const worker = async (): Promise<void> => {
      while (next < children.length) {
        const i = next++;
        outputs[i] = await ctx.runChild(children[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(ctx.concurrency, children.length) }, worker));
    return { result: outputs };
  },
};

/** The plugin registering {@link windowSumPattern} and {@link windowCollectPattern}. */
export function benchPatterns(): EchelonPlugin {
  return definePlugin({
    name: "@echelon/bench",
    version: "0.1.0",
    register(ctx) {
      ctx.registerPattern(windowSumPattern);
      ctx.registerPattern(windowCollectPattern);
    },
  });
}

/** Which orchestrator a variant uses. */
export type Flavour = "echelon" | "core";

/**
 * A fresh orchestrator: `echelon` is the batteries-included one (default plugins: decomposer,
 * strategies, the five patterns); `core` is `@echelon/core` with only the bench's window pattern.
 *
 * @param flavour - which
 * @param options - orchestrator options
 * @returns the orchestrator
 */
export function makeOrchestrator(
  flavour: Flavour,
  options: HierarchicalOrchestratorOptions,
): CoreOrchestrator {
  if (flavour === "core")
    return new CoreOrchestrator({ ...options, plugins: [benchPatterns(), ...(options.plugins ?? [])] });
  return createOrchestrator(options);
}

/**
 * A fresh orchestrator with its plan already validated, so a trial times only the run.
 *
 * @param flavour - which orchestrator
 * @param options - orchestrator options
 * @param spec - the task
 * @returns the orchestrator, its plan and the planning time in ms
 */
export async function prepared(
  flavour: Flavour,
  options: HierarchicalOrchestratorOptions,
  spec: TaskSpec,
): Promise<Prepared> {
  const before = heapMb();
  const orchestrator = makeOrchestrator(flavour, options);
  await orchestrator.start();
  const start = performance.now();
  const plan = await orchestrator.plan(spec);
  const planMs = performance.now() - start;
  const after = heapMb();
  return {
    orchestrator,
    plan,
    planMs,
    ...(before !== undefined && after !== undefined
      ? { heapBeforeMb: before, planHeapMb: Math.round((after - before) * 10) / 10 }
      : {}),
  };
}

/** A fresh orchestrator with its validated plan (see {@link prepared}). */
export interface Prepared {
  readonly orchestrator: CoreOrchestrator;
  readonly plan: Plan;
  /** Time `orchestrator.plan(spec)` took, ms. */
  readonly planMs: number;
  /** Live heap before the orchestrator was made, MB (only when the child runs with `--expose-gc`). */
  readonly heapBeforeMb?: number;
  /** Live heap the orchestrator and its plan hold, MB (only with `--expose-gc`). */
  readonly planHeapMb?: number;
}

/**
 * Live heap after a full garbage collection, MB; `undefined` unless node runs with `--expose-gc`.
 * Called only outside timed regions.
 */
export function heapMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
}

/**
 * Throws unless the orchestration succeeded.
 *
 * @param what - workload and variant
 * @param result - the result
 * @throws EchelonError `ECHELON_BENCH_OUTPUT_MISMATCH` with the orchestration's error
 */
export function expectSuccess(what: string, result: OrchestrationResult): void {
  if (!result.success) {
    throw new EchelonError(
      BenchErrorCode.OUTPUT_MISMATCH,
      `${what}: the orchestration failed (${result.error?.code ?? "?"}: ${result.errorMessage ?? ""}).`,
      { details: { what, code: result.error?.code ?? null } },
    );
  }
}

/**
 * An iteration that runs a prepared plan on its fresh orchestrator: checks success and the
 * output with `check`, shuts the orchestrator down, and reports the result's figures.
 *
 * @param what - workload and variant, for messages
 * @param setup - the prepared orchestrator and plan
 * @param check - checks `result.result` (throws on a mismatch) and may add figures
 * @returns the iteration
 */
export function planIteration(
  what: string,
  setup: Prepared,
  check: (output: unknown) => Record<string, Extra> | undefined,
): Iteration {
  return {
    run: () => setup.orchestrator.orchestrateComplexTask(setup.plan),
    async finish(output) {
      const result = output as OrchestrationResult;
      const liveAgents = setup.orchestrator.getAgentHierarchy().totalAgents;
      const afterRun = heapMb();
      const heap: Record<string, number> =
        afterRun !== undefined && setup.heapBeforeMb !== undefined && setup.planHeapMb !== undefined
          ? {
              planHeapMb: setup.planHeapMb,
              retainedAfterRunMb: Math.round((afterRun - setup.heapBeforeMb - setup.planHeapMb) * 10) / 10,
            }
          : {};
      await setup.orchestrator.shutdown();
      expectSuccess(what, result);
      const extra = check(result.result) ?? {};
      return { ...resultFigures(result), planMs: setup.planMs, liveAgents, ...heap, ...extra };
    },
  };
}

/**
 * Figures of an orchestration result worth reporting.
 *
 * @param result - the result
 * @returns overhead, lower bound, agents used, peak concurrency
 */
export function resultFigures(result: OrchestrationResult): Record<string, number> {
  const m = result.metadata.metrics;
  return {
    coordinationOverhead: result.coordinationOverhead,
    lowerBoundMs: m.lowerBoundMs,
    reportedWallMs: m.wallMs,
    agentsUsed: result.agentsUsed,
    peakConcurrency: m.peakConcurrency,
    leafSlots: m.leafSlots,
  };
}

import type { ChildRequest, ChildResult, Extra } from "./child/protocol.js";
import { type RunChildOptions, runChild } from "./spawn.js";
import { type Summary, summarize } from "./stats.js";
import type { CaseSpec } from "./suite.js";

/** Figures of one variant of one case, over its child processes. */
export interface VariantFigures {
  readonly variant: string;
  /** Median iteration time of each child, ms: median, min, max over the children. */
  readonly ms: Summary;
  /** The same per task, µs. */
  readonly usPerTask: Summary;
  /** Time of each child's first (cold) iteration, ms. */
  readonly coldMs: Summary;
  /** Peak RSS of each child, MB. */
  readonly peakRssMb: Summary;
  /** Peak RSS minus the RSS after loading modules, MB. */
  readonly rssGrowthMb: Summary;
  /** Workload figures: numbers as the median over children, booleans all-true, strings the distinct values. */
  readonly extra: Readonly<Record<string, Extra>>;
  /** The raw child results. */
  readonly runs: readonly ChildResult[];
}

/** A variant against a baseline: ratio of the medians, with the range of the per-run ratios. */
export interface Ratio {
  readonly variant: string;
  readonly baseline: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** One measured case. */
export interface CaseResult {
  readonly spec: CaseSpec;
  readonly variants: Readonly<Record<string, VariantFigures>>;
  readonly ratios: readonly Ratio[];
  /** Child processes that failed and were run again (module loading errors while a dependency was being rebuilt, crashes). */
  readonly retried: number;
}

function mergeExtra(runs: readonly ChildResult[]): Record<string, Extra> {
  const out: Record<string, Extra> = {};
  const keys = new Set(runs.flatMap((r) => Object.keys(r.extra)));
  for (const key of keys) {
    const values = runs.map((r) => r.extra[key]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === "number")) out[key] = summarize(values as number[]).median;
    else if (values.every((v) => typeof v === "boolean")) out[key] = values.every(Boolean);
    else out[key] = [...new Set(values.map(String))].join(", ");
  }
  return out;
}

/**
 * Aggregates the child results of one variant.
 *
 * @param variant - its name
 * @param runs - one result per child
 * @param tasks - tasks per iteration
 * @returns the figures
 */
export function figuresOf(variant: string, runs: readonly ChildResult[], tasks: number): VariantFigures {
  const ms = runs.map((r) => r.ms);
  return {
    variant,
    ms: summarize(ms),
    usPerTask: summarize(ms.map((m) => (m * 1000) / tasks)),
    coldMs: summarize(runs.map((r) => r.coldMs)),
    peakRssMb: summarize(runs.map((r) => r.peakRssMb)),
    rssGrowthMb: summarize(runs.map((r) => Math.max(0, r.peakRssMb - r.baseRssMb))),
    extra: mergeExtra(runs),
    runs,
  };
}

/**
 * Ratios of every non-baseline variant to every baseline of a case.
 *
 * @param spec - the case
 * @param variants - its figures
 * @returns ratio of medians, range over runs paired by index
 */
export function ratiosOf(spec: CaseSpec, variants: Readonly<Record<string, VariantFigures>>): Ratio[] {
  const out: Ratio[] = [];
  for (const baseline of spec.baselines) {
    const base = variants[baseline];
    if (base === undefined) continue;
    for (const variant of spec.variants) {
      const v = variants[variant];
      if (variant === baseline || v === undefined) continue;
      const paired = v.runs.map((r, i) => r.ms / (base.runs[i]?.ms ?? Number.NaN)).filter(Number.isFinite);
      const range = summarize(paired);
      out.push({ variant, baseline, median: v.ms.median / base.ms.median, min: range.min, max: range.max });
    }
  }
  return out;
}

/** Options of {@link runCase} and {@link runSuite}. */
export interface RunSuiteOptions extends RunChildOptions {
  /** Told before every child starts. */
  readonly onProgress?: (message: string) => void;
  /** Further tries of a child that failed other than by a wrong output. Default 1. */
  readonly retries?: number;
}

/**
 * Measures one case: `runs` rounds, each running every variant once in a fresh process, the
 * order rotated per round so drift in the machine's load hits every variant alike.
 *
 * @param spec - the case
 * @param options - progress callback, child options
 * @returns the case's figures and ratios
 * @throws EchelonError `ECHELON_BENCH_CHILD_FAILED` (with the child's error) when a child fails
 */
export async function runCase(spec: CaseSpec, options: RunSuiteOptions = {}): Promise<CaseResult> {
  const results = new Map<string, ChildResult[]>(spec.variants.map((v) => [v, []]));
  let retried = 0;
  for (let round = 0; round < spec.runs; round++) {
    const order = spec.variants.map((_, i) => spec.variants[(i + round) % spec.variants.length]!);
    for (const variant of order) {
      options.onProgress?.(`${spec.key} ${variant} (run ${round + 1}/${spec.runs})`);
      const request: ChildRequest = {
        workload: spec.workload,
        variant,
        size: spec.size,
        warmup: spec.warmup,
        reps: spec.reps,
        ...(spec.options !== undefined ? { options: spec.options } : {}),
      };
      for (let attempt = 0; ; attempt++) {
        try {
          results.get(variant)!.push(await runChild(request, options));
          break;
        } catch (error) {
          // A wrong output is deterministic: never retried. Anything else gets `retries` more tries.
          const message = error instanceof Error ? error.message : String(error);
          if (attempt >= (options.retries ?? 1) || message.includes("ECHELON_BENCH_OUTPUT_MISMATCH"))
            throw error;
          retried++;
          options.onProgress?.(`${spec.key} ${variant} failed, running it again: ${message.split("\n")[0]}`);
          await new Promise((resolve) => setTimeout(resolve, 2_000));
        }
      }
    }
  }
  const tasks = spec.tasks ?? spec.size;
  const variants = Object.fromEntries(spec.variants.map((v) => [v, figuresOf(v, results.get(v)!, tasks)]));
  return { spec, variants, ratios: ratiosOf(spec, variants), retried };
}

/**
 * Measures every case, one child process at a time.
 *
 * @param cases - the cases
 * @param options - progress callback, child options
 * @returns one result per case
 * @throws EchelonError `ECHELON_BENCH_CHILD_FAILED` when a child fails
 */
export async function runSuite(
  cases: readonly CaseSpec[],
  options: RunSuiteOptions = {},
): Promise<CaseResult[]> {
  const out: CaseResult[] = [];
  for (const spec of cases) out.push(await runCase(spec, options));
  return out;
}

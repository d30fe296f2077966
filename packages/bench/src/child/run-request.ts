import { EchelonError } from "@echelon/core";
import { BenchErrorCode } from "../errors.js";
import { median } from "../stats.js";
import { profileWhile } from "./profile.js";
import type { ChildRequest, ChildResult, Extra, ProfileSummary } from "./protocol.js";
import type { TrialOutcome, Workload } from "./trial.js";

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function mergeExtras(outcomes: readonly TrialOutcome[]): Record<string, Extra> {
  const merged: Record<string, Extra> = {};
  const keys = new Set(outcomes.flatMap((o) => Object.keys(o.extra ?? {})));
  for (const key of keys) {
    const values = outcomes.map((o) => o.extra?.[key]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === "number")) merged[key] = median(values as number[]);
    else if (values.every((v) => typeof v === "boolean")) merged[key] = values.every(Boolean);
    else merged[key] = values[values.length - 1]!;
  }
  return merged;
}

/**
 * Runs one request in this process: warm-up iterations, then the measured ones (optionally
 * under the CPU profiler), and returns the child result with the peak RSS of the process.
 *
 * @param request - what to measure
 * @param workloads - the workloads by name
 * @returns the result to print
 * @throws EchelonError `ECHELON_BENCH_WORKLOAD_UNKNOWN`, `ECHELON_BENCH_OPTIONS_INVALID`, and whatever the workload throws (`ECHELON_BENCH_OUTPUT_MISMATCH`)
 */
export async function runRequest(
  request: ChildRequest,
  workloads: Readonly<Record<string, Workload>>,
): Promise<ChildResult> {
  const workload = workloads[request.workload];
  const factory = workload?.variants[request.variant];
  if (factory === undefined) {
    throw new EchelonError(
      BenchErrorCode.UNKNOWN_WORKLOAD,
      `No workload "${request.workload}" with variant "${request.variant}". Known: ${Object.entries(workloads)
        .map(([name, w]) => `${name} (${Object.keys(w.variants).join(", ")})`)
        .join("; ")}.`,
      { details: { workload: request.workload, variant: request.variant } },
    );
  }
  if (!Number.isInteger(request.size) || request.size < 1 || !Number.isInteger(request.reps) || request.reps < 1) {
    throw new EchelonError(BenchErrorCode.INVALID_OPTIONS, "size and reps must be positive integers.", {
      details: { size: request.size, reps: request.reps },
    });
  }
  const baseRssMb = mb(process.memoryUsage().rss);
  const trial = await factory(request.size, request.options ?? {});
  const cold = await trial();
  for (let i = 1; i < request.warmup; i++) await trial();
  const outcomes: TrialOutcome[] = [];
  const measure = async (): Promise<void> => {
    for (let i = 0; i < request.reps; i++) outcomes.push(await trial());
  };
  let profile: ProfileSummary | undefined;
  if (request.profile === true) profile = await profileWhile(measure);
  else await measure();
  const samplesMs = outcomes.map((o) => o.ms);
  return {
    workload: request.workload,
    variant: request.variant,
    size: request.size,
    coldMs: cold.ms,
    samplesMs,
    ms: median(samplesMs),
    peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    baseRssMb,
    extra: mergeExtras(outcomes),
    ...(profile !== undefined ? { profile } : {}),
  };
}

import { EchelonError } from "@echelon/core";
import { BenchErrorCode } from "../errors.js";
import { median } from "../stats.js";
import { ProfileRecorder } from "./profile.js";
import type { ChildRequest, ChildResult, Extra } from "./protocol.js";
import type { Trial, Workload } from "./trial.js";

interface TrialOutcome {
  readonly ms: number;
  readonly extra: Readonly<Record<string, Extra>>;
}

async function iterate(trial: Trial, recorder: ProfileRecorder | null): Promise<TrialOutcome> {
  const iteration = await trial();
  await recorder?.start();
  const cpu = process.cpuUsage();
  const start = performance.now();
  const output = await iteration.run();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  await recorder?.stop();
  const ms = iteration.reportedMs?.(output) ?? wall;
  // CPU this process spent in the timed region (user + system), for workloads where other processes do the work.
  return {
    ms,
    extra: { ...(await iteration.finish(output)), cpuMs: Math.round((used.user + used.system) / 100) / 10 },
  };
}

const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

function mergeExtras(outcomes: readonly TrialOutcome[]): Record<string, Extra> {
  const merged: Record<string, Extra> = {};
  const keys = new Set(outcomes.flatMap((o) => Object.keys(o.extra)));
  for (const key of keys) {
    const values = outcomes.map((o) => o.extra[key]).filter((v) => v !== undefined);
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
  const counts = [request.size, request.reps, request.warmup + 1];
  if (!counts.every((c) => Number.isInteger(c) && c >= 1)) {
    throw new EchelonError(
      BenchErrorCode.INVALID_OPTIONS,
      `size and reps must be positive integers and warmup an integer ≥ 0; got size ${request.size}, reps ${request.reps}, warmup ${request.warmup}.`,
      { details: { size: request.size, reps: request.reps, warmup: request.warmup } },
    );
  }
  const baseRssMb = mb(process.memoryUsage().rss);
  const trial = await factory(request.size, request.options ?? {});
  // warmup 0: no separate cold iteration (the first measured one is the cold one), so a child
  // can hold exactly one iteration's memory.
  const cold = request.warmup > 0 ? await iterate(trial, null) : null;
  for (let i = 1; i < request.warmup; i++) await iterate(trial, null);
  const recorder = request.profile === true ? new ProfileRecorder() : null;
  const outcomes: TrialOutcome[] = [];
  for (let i = 0; i < request.reps; i++) outcomes.push(await iterate(trial, recorder));
  const profile = recorder?.summary();
  recorder?.close();
  const samplesMs = outcomes.map((o) => o.ms);
  return {
    workload: request.workload,
    variant: request.variant,
    size: request.size,
    coldMs: (cold ?? outcomes[0]!).ms,
    samplesMs,
    ms: median(samplesMs),
    peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    baseRssMb,
    extra: mergeExtras(outcomes),
    ...(profile !== undefined ? { profile } : {}),
  };
}

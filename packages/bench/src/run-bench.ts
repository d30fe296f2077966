import path from "node:path";
import { benchRedis } from "./bench-redis.js";
import { checkGoals, type GoalCheck } from "./goals.js";
import { finishMachineInfo, machineInfo } from "./machine.js";
import type { BenchReport, ProfileRecord } from "./report/document.js";
import { writeReport } from "./report/write.js";
import { type CaseResult, runSuite } from "./run-suite.js";
import { runChild } from "./spawn.js";
import { repositoryRoot } from "./workloads/readme-corpus.js";
import { type CaseSpec, type SuiteMode, suiteCases } from "./suite.js";

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  /** Which suite. Default `full`. */
  readonly mode?: SuiteMode;
  /** Where to write `benchmarks.md` and `benchmarks/`. Default the repository's `docs`. */
  readonly docsDir?: string;
  /** Profile the variants behind missed goals. Default true. */
  readonly profileMissed?: boolean;
  /** Told before every child process starts. */
  readonly onProgress?: (message: string) => void;
  /** Cases to run instead of the suite's (for focused runs). */
  readonly cases?: readonly CaseSpec[];
  /** The `redis-server` the remote cases start. Default `redis-server` on PATH; without one they are skipped. */
  readonly redisExecutable?: string;
}

/** What {@link runBench} returns. */
export interface BenchOutcome {
  readonly report: BenchReport;
  /** Files written. */
  readonly files: readonly string[];
}

async function profileMissed(
  goals: readonly GoalCheck[],
  results: readonly CaseResult[],
  onProgress?: (message: string) => void,
): Promise<ProfileRecord[]> {
  const targets = new Map<string, { caseKey: string; variant: string; goals: string[] }>();
  for (const goal of goals) {
    if (goal.met !== false || goal.profile === undefined) continue;
    const id = `${goal.profile.caseKey}/${goal.profile.variant}`;
    const target = targets.get(id) ?? { ...goal.profile, goals: [] };
    target.goals.push(goal.id);
    targets.set(id, target);
  }
  const out: ProfileRecord[] = [];
  for (const target of targets.values()) {
    const spec = results.find((r) => r.spec.key === target.caseKey)?.spec;
    if (spec === undefined) continue;
    onProgress?.(`profile ${target.caseKey} ${target.variant}`);
    try {
      const child = await runChild({
        workload: spec.workload,
        variant: target.variant,
        size: spec.size,
        warmup: Math.min(spec.warmup, 2),
        reps: Math.min(spec.reps, 3),
        profile: true,
        ...(spec.options !== undefined ? { options: spec.options } : {}),
      });
      if (child.profile !== undefined) out.push({ ...target, profile: child.profile });
    } catch (error) {
      // The measurements stand without the profile; say so rather than lose the run.
      onProgress?.(
        `profile of ${target.caseKey} ${target.variant} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return out;
}

async function memoryAttribution(
  results: readonly CaseResult[],
  onProgress?: (message: string) => void,
): Promise<BenchReport["memory"]> {
  const variant = "echelon-run-only";
  const fanouts = results.filter((r) => r.spec.workload === "fanout" && r.spec.variants.includes(variant));
  const largest = fanouts.sort((a, b) => b.spec.size - a.spec.size)[0]?.spec;
  if (largest === undefined) return undefined;
  onProgress?.(`memory attribution ${largest.key} ${variant}`);
  try {
    const result = await runChild({
      workload: largest.workload,
      variant,
      size: largest.size,
      warmup: 0,
      reps: 1,
      options: { ...largest.options, heap: true },
    });
    return { caseKey: largest.key, variant, result };
  } catch (error) {
    onProgress?.(`memory attribution failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * Runs the benchmark suite — every case in fresh child processes, baselines in the same run —
 * checks the goals, profiles what missed them, and writes the report, the JSON of raw figures
 * and the SVG charts.
 *
 * @param options - suite, output folder, progress
 * @returns the report and the files written
 * @throws EchelonError `ECHELON_BENCH_CHILD_FAILED` when a measurement fails (including an output mismatch in a child)
 * @example
 * ```ts
 * const { report } = await runBench({ mode: "smoke", docsDir: "/tmp/bench-docs" });
 * console.log(report.goals.filter((g) => g.met === false));
 * ```
 */
export async function runBench(options: RunBenchOptions = {}): Promise<BenchOutcome> {
  const mode = options.mode ?? "full";
  const started = performance.now();
  const machine = machineInfo();
  const redis = await benchRedis(options.cases ?? suiteCases(mode), options.redisExecutable);
  for (const s of redis.skipped) options.onProgress?.(`skipping ${s.key}: ${s.reason}`);
  let cases: CaseResult[];
  let goals: GoalCheck[];
  let profiles: ProfileRecord[];
  try {
    cases = await runSuite(redis.cases, {
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    goals = checkGoals(cases, redis.skipped);
    // Profiles of remote cases need their Redis: it stops after them.
    profiles = options.profileMissed === false ? [] : await profileMissed(goals, cases, options.onProgress);
  } finally {
    await redis.stop();
  }
  const memory = await memoryAttribution(cases, options.onProgress);
  const report: BenchReport = {
    mode,
    machine: finishMachineInfo(machine),
    durationMs: performance.now() - started,
    cases,
    goals,
    profiles,
    skipped: redis.skipped,
    ...(memory !== undefined ? { memory } : {}),
  };
  const files = writeReport(report, options.docsDir ?? path.join(repositoryRoot(), "docs"));
  return { report, files };
}

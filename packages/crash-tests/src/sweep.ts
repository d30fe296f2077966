import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crashProblems, type Moment, momentsOf, rerunKeys } from "./checks.js";
import type { KillPoint } from "./kill-switch-store.js";
import { mapLimit } from "./run-child.js";
import { type CaseSpec, crashAndResume, faultFreeRun, type RunRecord } from "./scenario.js";

/** One kill point of a sweep and what its resume got wrong (nothing, when it recovered). */
export interface KillOutcome {
  readonly kill: KillPoint;
  /** Where in the plan the process died, named from the journal it left. */
  readonly moments: readonly Moment[];
  /** Events in the journal when the process died. */
  readonly eventsBefore: number;
  /** Leaves (or compensations) that ran in both processes: at least once, never applied twice. */
  readonly reruns: number;
  readonly problems: readonly string[];
}

/** The outcome of a sweep over many kill points of one case. */
export interface SweepReport {
  readonly name: string;
  readonly spec: CaseSpec;
  /** The fault-free run's journal writes: events, and transactions. */
  readonly events: number;
  readonly transactions: number;
  readonly outcomes: readonly KillOutcome[];
  readonly recovered: number;
  /** Wall time of the whole sweep, ms (fault-free run included). */
  readonly wallMs: number;
}

/** What a sweep runs. */
export interface SweepOptions {
  /** A name for the summary line. */
  readonly name: string;
  readonly spec: CaseSpec;
  /** The kill points, chosen once the fault-free run's write counts are known. */
  readonly kills: (reference: RunRecord) => readonly KillPoint[];
  /** Child pairs in flight at once (default 2: one per core). */
  readonly concurrency?: number;
  /** Keeps the run folders (under the OS temp folder) instead of removing them. */
  readonly keep?: boolean;
}

/**
 * Runs a case once fault-free, then once per kill point: a child process SIGKILLed at that
 * point and a fresh process resuming the run; checks every resume against the fault-free run.
 *
 * @returns the outcome of every kill point
 * @throws Error when the fault-free run itself does not end normally
 */
export async function runSweep(options: SweepOptions): Promise<SweepReport> {
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), "echelon-crash-"));
  try {
    const reference = await faultFreeRun(join(root, "reference"), options.spec);
    if (reference.first.code !== 0 || reference.output === null)
      throw new Error(`${options.name}: the fault-free run failed: ${reference.first.stderr.slice(0, 800)}`);
    const kills = options.kills(reference);
    const outcomes = await mapLimit(kills, options.concurrency ?? 2, async (kill, i) => {
      const crash = await crashAndResume(join(root, `kill-${i}`), options.spec, kill);
      if (options.keep !== true) rmSync(join(root, `kill-${i}`), { recursive: true, force: true });
      return {
        kill,
        moments: momentsOf(options.spec.plan, crash.before),
        eventsBefore: crash.before.length,
        reruns: rerunKeys(crash.attempts),
        problems: crashProblems(options.spec.plan, reference, crash),
      } satisfies KillOutcome;
    });
    return {
      name: options.name,
      spec: options.spec,
      events: reference.journal.length,
      transactions: reference.output.stats.transactions,
      outcomes,
      recovered: outcomes.filter((o) => o.problems.length === 0).length,
      wallMs: performance.now() - started,
    };
  } finally {
    if (options.keep !== true) rmSync(root, { recursive: true, force: true });
  }
}

/** Every kill point `{ unit, at }` for `at` in 1..n. */
export function everyWrite(unit: "event" | "transaction", n: number): KillPoint[] {
  return Array.from({ length: n }, (_, i) => ({ unit, at: i + 1 }));
}

/**
 * The summary line of a sweep, e.g. `mixed plan (batching off): 98/98 kill points recovered
 * (98 journal writes; moments: map fan-out 12/12, …; 7 leaves re-ran; 61.2 s)`.
 */
export function summaryLine(report: SweepReport, extra = ""): string {
  const byMoment = new Map<Moment, { n: number; ok: number }>();
  for (const o of report.outcomes)
    for (const m of o.moments) {
      const entry = byMoment.get(m) ?? { n: 0, ok: 0 };
      entry.n++;
      if (o.problems.length === 0) entry.ok++;
      byMoment.set(m, entry);
    }
  const moments = [...byMoment].map(([m, { n, ok }]) => `${m} ${ok}/${n}`).join(", ");
  const reruns = report.outcomes.reduce((sum, o) => sum + o.reruns, 0);
  return (
    `${report.name}: ${report.recovered}/${report.outcomes.length} kill points recovered${extra} ` +
    `(${report.events} events in ${report.transactions} transactions; ${moments}; ` +
    `${reruns} leaf attempts re-ran after a kill; ${(report.wallMs / 1000).toFixed(1)} s)`
  );
}

/** The problems of the kill points that did not recover, one block per kill point. */
export function failureReport(report: SweepReport): string {
  return report.outcomes
    .filter((o) => o.problems.length > 0)
    .map((o) => `kill ${JSON.stringify(o.kill)} [${o.moments.join(", ")}]:\n  ${o.problems.join("\n  ")}`)
    .join("\n");
}

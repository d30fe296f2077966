import type { SkippedCase } from "./bench-redis.js";
import type { GoalCheck } from "./goals.js";
import type { CaseResult } from "./run-suite.js";
import { round } from "./stats.js";

/** Echelon over BullMQ may take at most this multiple of raw BullMQ's wall time (issue 15). */
export const REMOTE_RATIO_GOAL = 1.2;

const f = (n: number | undefined, digits = 3): string => (n === undefined ? "?" : String(round(n, digits)));

function ratioOf(result: CaseResult | undefined, variant: string, baseline: string): number | undefined {
  return result?.ratios.find((r) => r.variant === variant && r.baseline === baseline)?.median;
}

function commands(result: CaseResult | undefined, variant: string, label: string): string {
  const x = result?.variants[variant]?.extra;
  if (x === undefined) return "?";
  return `${String(x[`${label}PerTask`] ?? "?")} (${String(x[`${label}Top`] ?? "")})`;
}

/**
 * The goals of the remote cases: W1 and W2 through two worker-host processes within 1.2× raw
 * BullMQ's wall time (with Redis commands per task beside them), and a CPU-heavy map faster on
 * two hosts than on one. A case skipped for want of Redis gives `met: null` and says why.
 *
 * @param results - the suite's results
 * @param skipped - cases left out
 * @returns one check per goal
 */
export function remoteGoals(results: readonly CaseResult[], skipped: readonly SkippedCase[]): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const find = (key: string) => results.find((r) => r.spec.key === key);
  const why = (key: string) => skipped.find((s) => s.key === key)?.reason;
  for (const [key, id, label] of [
    ["remote-noop", "W1-remote", "W1 over BullMQ, no-op tasks"],
    ["remote-timers", "W2-remote", "W2 over BullMQ, 10 ms timers on 100 slots"],
  ] as const) {
    const r = find(key);
    const skip = why(key);
    if (r === undefined && skip === undefined) continue;
    const x = ratioOf(r, "echelon", "bullmq");
    goals.push({
      id,
      goal: `${label}, ${r?.spec.size.toLocaleString("en-US") ?? "?"} tasks through 2 worker-host processes: within ${REMOTE_RATIO_GOAL}× raw BullMQ's wall time (same Redis, same workers)`,
      measured:
        skip !== undefined
          ? `skipped: ${skip}`
          : `×${f(x)} (${f(r?.variants.echelon?.ms.median)} ms vs ${f(r?.variants.bullmq?.ms.median)} ms)`,
      met: x === undefined ? null : x <= REMOTE_RATIO_GOAL,
      profile: { caseKey: key, variant: "echelon" },
    });
  }
  const trips = find("remote-roundtrips");
  if (trips !== undefined || why("remote-roundtrips") !== undefined) {
    goals.push({
      id: "remote-roundtrips",
      goal: "Redis round trips per task, Echelon against raw BullMQ (reported; no target)",
      measured:
        trips === undefined
          ? `skipped: ${why("remote-roundtrips")}`
          : `Echelon ${commands(trips, "echelon", "roundTrips")}; BullMQ ${commands(trips, "bullmq", "roundTrips")}; commands run inside Redis per task: Echelon ${commands(trips, "echelon", "redisCommands")}, BullMQ ${commands(trips, "bullmq", "redisCommands")}`,
      met: null,
    });
  }
  const cpu = find("remote-cpu");
  const skip = why("remote-cpu");
  if (cpu !== undefined || skip !== undefined) {
    const x = ratioOf(cpu, "echelon", "echelon-1-host");
    goals.push({
      id: "remote-cpu",
      goal: "CPU-heavy map over BullMQ: 2 worker hosts faster than 1 (ratio of wall times below 1)",
      measured:
        skip !== undefined
          ? `skipped: ${skip}`
          : `×${f(x)}: ${f(cpu?.variants.echelon?.ms.median)} ms on 2 hosts vs ${f(cpu?.variants["echelon-1-host"]?.ms.median)} ms on 1 (speed-up ${x === undefined ? "?" : f(1 / x, 2)})`,
      met: x === undefined ? null : x < 1,
    });
  }
  return goals;
}

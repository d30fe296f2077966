import type { SkippedCase } from "./bench-redis.js";
import { remoteGoals } from "./remote-goals.js";
import type { CaseResult, VariantFigures } from "./run-suite.js";
import { round } from "./stats.js";

/** Where to profile when a goal is missed. */
export interface ProfileTarget {
  readonly caseKey: string;
  readonly variant: string;
}

/** One goal of the issue, checked against the figures. */
export interface GoalCheck {
  readonly id: string;
  readonly goal: string;
  /** What was measured, in words with numbers. */
  readonly measured: string;
  /** `null` when the figures needed were not measured in this run. */
  readonly met: boolean | null;
  /** What to profile when missed. */
  readonly profile?: ProfileTarget;
}

function find(results: readonly CaseResult[], key: string): CaseResult | undefined {
  return results.find((r) => r.spec.key === key);
}

function variant(results: readonly CaseResult[], key: string, name: string): VariantFigures | undefined {
  return find(results, key)?.variants[name];
}

function ratio(results: readonly CaseResult[], key: string, v: string, baseline: string): number | undefined {
  return find(results, key)?.ratios.find((r) => r.variant === v && r.baseline === baseline)?.median;
}

const f = (n: number | undefined, digits = 3): string => (n === undefined ? "?" : String(round(n, digits)));

function curve(results: readonly CaseResult[], workload: string, v: string): { size: number; us: number }[] {
  return results
    .filter((r) => r.spec.workload === workload && r.variants[v] !== undefined)
    .map((r) => ({ size: r.spec.size, us: r.variants[v]!.usPerTask.median }))
    .sort((a, b) => a.size - b.size);
}

function flatness(
  points: readonly { size: number; us: number }[],
): { growth: number; text: string } | undefined {
  if (points.length < 2) return undefined;
  const min = Math.min(...points.map((p) => p.us));
  const last = points[points.length - 1]!;
  return {
    growth: last.us / min,
    text: points.map((p) => `${p.size.toLocaleString("en-US")}: ${f(p.us)} µs`).join(", "),
  };
}

/**
 * Checks the goals against the measured figures. Leaf and agent counts are read from
 * whichever sizes the suite measured (the full suite measures those the issue names).
 *
 * @param results - the suite's results
 * @param skipped - cases left out of the run (the remote ones without Redis)
 * @returns one check per goal
 */
export function checkGoals(
  results: readonly CaseResult[],
  skipped: readonly SkippedCase[] = [],
): GoalCheck[] {
  const goals: GoalCheck[] = [];
  const fanouts = results.filter((r) => r.spec.workload === "fanout").map((r) => r.spec.size);
  const mid = fanouts.includes(10_000) ? 10_000 : fanouts[Math.floor(fanouts.length / 2)];
  const big = fanouts.length > 0 ? Math.max(...fanouts) : undefined;
  if (mid !== undefined) {
    const key = `fanout@${mid}`;
    const e = variant(results, key, "echelon");
    const p = variant(results, key, "p-limit");
    const r = ratio(results, key, "echelon", "p-limit");
    goals.push({
      id: "W1-time",
      goal: `W1, ${mid.toLocaleString("en-US")} no-op leaves, outputs collected in order, the whole call: Echelon at or below p-limit's µs/task`,
      measured: `Echelon ${f(e?.usPerTask.median)} µs/task, p-limit ${f(p?.usPerTask.median)} µs/task (×${f(r)})`,
      met: r === undefined ? null : r <= 1,
      profile: { caseKey: key, variant: "echelon" },
    });
  }
  if (big !== undefined) {
    const key = `fanout@${big}`;
    const rss = variant(results, key, "echelon")?.peakRssMb.median;
    goals.push({
      id: "W1-memory",
      goal: `W1, ${big.toLocaleString("en-US")} leaves, three runs back to back on one orchestrator: peak RSS under 200 MB`,
      measured: `${f(rss)} MB peak RSS (median of the children)`,
      met: rss === undefined ? null : rss < 200,
      profile: { caseKey: key, variant: "echelon" },
    });
  }
  const w2 = ratio(results, "timers", "echelon", "p-limit");
  const timers = find(results, "timers")?.spec;
  goals.push({
    id: "W2-wall",
    goal: `W2, ${timers?.size.toLocaleString("en-US") ?? "?"} × ${String(timers?.options?.timerMs ?? 10)} ms on ${String(timers?.options?.cap ?? 100)} slots: wall within 2 % of p-limit's`,
    measured: `×${f(w2, 4)} p-limit's wall (${f(variant(results, "timers", "echelon")?.ms.median)} ms vs ${f(variant(results, "timers", "p-limit")?.ms.median)} ms)`,
    met: w2 === undefined ? null : w2 <= 1.02,
    profile: { caseKey: "timers", variant: "echelon" },
  });
  const overhead = variant(results, "timers", "echelon")?.extra.coordinationOverhead;
  goals.push({
    id: "W2-overhead",
    goal: "W2: reported coordinationOverhead under 1 %",
    measured: `${f(typeof overhead === "number" ? overhead : undefined)} %`,
    met: typeof overhead === "number" ? overhead < 1 : null,
    profile: { caseKey: "timers", variant: "echelon" },
  });
  const w3 = ratio(results, "wordcount", "echelon", "loop");
  const identical = variant(results, "wordcount", "echelon")?.extra.identical;
  goals.push({
    id: "W3",
    goal: "W3, map-reduce word count: within 1.1× the plain loop, outputs identical",
    measured: `×${f(w3)} the plain loop; outputs identical: ${identical === true ? "yes" : "no"}`,
    met: w3 === undefined ? null : w3 <= 1.1 && identical === true,
    profile: { caseKey: "wordcount", variant: "echelon" },
  });
  const w4 = ratio(results, "tree", "echelon", "raw");
  goals.push({
    id: "W4",
    goal: `W4, 1 → ${String(find(results, "tree")?.spec.options?.branches ?? 10)} → ${find(results, "tree")?.spec.size ?? "?"} leaves × 10 ms: within 1.05× nested Promise.all`,
    measured: `×${f(w4, 4)} (${f(variant(results, "tree", "echelon")?.ms.median)} ms vs ${f(variant(results, "tree", "raw")?.ms.median)} ms)`,
    met: w4 === undefined ? null : w4 <= 1.05,
    profile: { caseKey: "tree", variant: "echelon" },
  });
  const leaves = flatness(curve(results, "fanout", "echelon"));
  goals.push({
    id: "scaling-leaves",
    goal: "Leaves scaling: flat time per task (largest size within 1.5× the best µs/task)",
    measured: leaves === undefined ? "not measured" : `${leaves.text} (×${f(leaves.growth)})`,
    met: leaves === undefined ? null : leaves.growth <= 1.5,
    ...(big !== undefined ? { profile: { caseKey: `fanout@${big}`, variant: "echelon" } } : {}),
  });
  const agentSizes = results.filter((r) => r.spec.workload === "agents").map((r) => r.spec.size);
  const most = agentSizes.length > 0 ? Math.max(...agentSizes) : undefined;
  const fewest = agentSizes.length > 0 ? Math.min(...agentSizes) : undefined;
  const agents = flatness(curve(results, "agents", "echelon"));
  goals.push({
    id: "scaling-agents",
    goal: "Agents scaling: flat time per task (largest agent count within 1.5× the best µs/task)",
    measured: agents === undefined ? "not measured" : `${agents.text} (×${f(agents.growth)})`,
    met: agents === undefined ? null : agents.growth <= 1.5,
    ...(most !== undefined ? { profile: { caseKey: `agents@${most}`, variant: "echelon" } } : {}),
  });
  if (most !== undefined && fewest !== undefined && most !== fewest) {
    const a = variant(results, `agents@${most}`, "echelon")?.rssGrowthMb.median;
    const b = variant(results, `agents@${fewest}`, "echelon")?.rssGrowthMb.median;
    const cost = a !== undefined && b !== undefined ? a - b : undefined;
    goals.push({
      id: "agents-memory",
      goal: `${most.toLocaleString("en-US")} registered agents under 50 MB`,
      measured: `${f(cost)} MB more RSS growth than with ${fewest} agents (same tasks)`,
      met: cost === undefined ? null : cost < 50,
      profile: { caseKey: `agents@${most}`, variant: "echelon" },
    });
  }
  goals.push(...remoteGoals(results, skipped));
  const imported = variant(results, "import", "echelon")?.ms.median;
  const importedBase = variant(results, "import", "p-limit")?.ms.median;
  goals.push({
    id: "import",
    goal: "Import of `echelon` in a fresh process: at most 50 ms",
    measured: `${f(imported)} ms (p-limit ${f(importedBase)} ms)`,
    met: imported === undefined ? null : imported <= 50,
  });
  const cold = ratio(results, "cold", "echelon", "p-limit");
  goals.push({
    id: "cold",
    goal: "First W1 run in a fresh process (import included): within 1.5× p-limit's",
    measured: `×${f(cold)} p-limit's (${f(variant(results, "cold", "echelon")?.ms.median)} ms vs ${f(variant(results, "cold", "p-limit")?.ms.median)} ms)`,
    met: cold === undefined ? null : cold <= 1.5,
  });
  const decomposed = variant(results, "decompose", "decompose")?.ms.median;
  goals.push({
    id: "decompose",
    goal: "Decomposition of the seed's enterprise example at depth 4 (`orchestrator.plan`): under 1 ms",
    measured: `${f(decomposed)} ms (median, warm)`,
    met: decomposed === undefined ? null : decomposed < 1,
    profile: { caseKey: "decompose", variant: "decompose" },
  });
  const soak = variant(results, "soak", "echelon")?.extra.heapGrowthPerRunMb;
  goals.push({
    id: "soak",
    goal: `Back-to-back ${find(results, "soak")?.spec.size.toLocaleString("en-US") ?? "?"}-leaf runs on one orchestrator: live heap flat (growth at most 1 MB per run)`,
    measured: `${f(typeof soak === "number" ? soak : undefined)} MB per run (only count bounds: ${f(numberOr(variant(results, "soak", "echelon-keep-all")?.extra.heapGrowthPerRunMb))} MB per run)`,
    met: typeof soak === "number" ? soak <= 1 : null,
  });
  return goals;
}

const numberOr = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

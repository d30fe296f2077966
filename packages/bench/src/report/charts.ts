import type { GoalCheck } from "../goals.js";
import type { CaseResult } from "../run-suite.js";
import { barChart, type ChartSeries, lineChart } from "./svg.js";

function series(
  results: readonly CaseResult[],
  workload: string,
  variants: readonly string[],
  pick: "us" | "rss",
): ChartSeries[] {
  return variants
    .map((v) => ({
      name: v,
      points: results
        .filter((r) => r.spec.workload === workload && r.variants[v] !== undefined)
        .sort((a, b) => a.spec.size - b.spec.size)
        .map((r) => {
          const s = pick === "us" ? r.variants[v]!.usPerTask : r.variants[v]!.peakRssMb;
          return { x: r.spec.size, y: s.median, min: s.min, max: s.max };
        }),
    }))
    .filter((s) => s.points.length > 0);
}

/**
 * The SVG charts of a suite run, by file name.
 *
 * @param results - the suite's results
 * @param goals - the checked goals (for the ratio chart's goal markers)
 * @returns file name → SVG document
 */
export function charts(results: readonly CaseResult[], goals: readonly GoalCheck[]): Record<string, string> {
  const out: Record<string, string> = {};
  const leaves = series(results, "fanout", ["raw", "p-limit", "echelon", "echelon-core"], "us");
  if (leaves.length > 0) {
    out["fanout-time.svg"] = lineChart({
      title: "W1 fan-out: µs per task by number of no-op leaves (cap 100)",
      xLabel: "leaves",
      yLabel: "µs per task (log)",
      logY: true,
      series: leaves,
    });
    out["fanout-rss.svg"] = lineChart({
      title: "W1 fan-out: peak RSS of the child process",
      xLabel: "leaves",
      yLabel: "peak RSS, MB",
      series: series(results, "fanout", ["raw", "p-limit", "echelon"], "rss"),
      reference: { y: 200, label: "goal 200 MB" },
    });
  }
  const agents = series(results, "agents", ["p-limit", "echelon", "echelon-pool"], "us");
  if (agents.length > 0) {
    out["agents-time.svg"] = lineChart({
      title: "Agents scaling: µs per task, 10,000 no-op tasks",
      xLabel: "agents (= concurrency cap)",
      yLabel: "µs per task (log)",
      logY: true,
      series: agents,
    });
    out["agents-rss.svg"] = lineChart({
      title: "Agents scaling: peak RSS of the child process",
      xLabel: "agents",
      yLabel: "peak RSS, MB",
      series: series(results, "agents", ["p-limit", "echelon", "echelon-pool"], "rss"),
    });
  }
  const GOALS: Readonly<Record<string, number>> = { "W1-time": 1, "W2-wall": 1.02, W3: 1.1, W4: 1.05 };
  const fanouts = results.filter((r) => r.spec.workload === "fanout").map((r) => r.spec.size);
  const mid = fanouts.includes(10_000) ? 10_000 : fanouts[Math.floor(fanouts.length / 2)];
  const bars = [
    {
      key: `fanout@${mid}`,
      baseline: "p-limit",
      goal: "W1-time",
      label: `W1 ${mid?.toLocaleString("en-US") ?? ""} leaves ÷ p-limit`,
    },
    { key: "timers", baseline: "p-limit", goal: "W2-wall", label: "W2 timers ÷ p-limit" },
    { key: "wordcount", baseline: "loop", goal: "W3", label: "W3 word count ÷ loop" },
    { key: "tree", baseline: "raw", goal: "W4", label: "W4 tree ÷ Promise.all" },
  ]
    .map((b) => {
      const r = results
        .find((x) => x.spec.key === b.key)
        ?.ratios.find((x) => x.variant === "echelon" && x.baseline === b.baseline);
      const goal = goals.some((g) => g.id === b.goal) ? GOALS[b.goal] : undefined;
      return r === undefined
        ? null
        : {
            label: b.label,
            value: r.median,
            min: r.min,
            max: r.max,
            ...(goal !== undefined ? { goal } : {}),
          };
    })
    .filter((b) => b !== null);
  if (bars.length > 0) {
    out["ratios.svg"] = barChart({
      title: "Echelon ÷ baseline, same run (log scale; red mark = goal)",
      log: true,
      unit: "×",
      bars,
      reference: { value: 1, label: "1×" },
    });
  }
  return out;
}

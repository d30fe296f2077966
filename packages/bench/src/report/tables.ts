import type { ProfileSummary } from "../child/protocol.js";
import type { GoalCheck } from "../goals.js";
import type { MachineInfo } from "../machine.js";
import type { CaseResult } from "../run-suite.js";
import { round, type Summary } from "../stats.js";

const n = (v: number, digits = 3): string =>
  Number.isFinite(v) ? round(v, digits).toLocaleString("en-US", { maximumFractionDigits: 6 }) : "–";
const range = (s: Summary, digits = 3): string =>
  s.n > 1 ? `${n(s.median, digits)} (${n(s.min, digits)}–${n(s.max, digits)})` : n(s.median, digits);

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [row(head), row(head.map(() => "---")), ...rows.map(row)].join("\n");
}

/**
 * The table of one case: per variant the median time with min–max over the child processes,
 * µs per task, ratios to each baseline (with the range of per-run ratios), cold time, peak RSS
 * and chosen workload figures.
 *
 * @param result - the case
 * @param extras - workload figures to show, as `[key, column title]`
 * @param perTask - show µs per task
 * @returns a Markdown table
 */
export function caseTable(
  result: CaseResult,
  extras: readonly [string, string][] = [],
  perTask = true,
): string {
  const { spec } = result;
  const head = [
    "variant",
    "median ms (min–max)",
    ...(perTask ? ["µs/task"] : []),
    ...spec.baselines.map((b) => `× ${b}`),
    "cold ms",
    "peak RSS MB",
    ...extras.map(([, title]) => title),
  ];
  const rows = spec.variants.map((v) => {
    const f = result.variants[v]!;
    return [
      `\`${v}\``,
      range(f.ms),
      ...(perTask ? [n(f.usPerTask.median)] : []),
      ...spec.baselines.map((b) => {
        if (b === v) return "1";
        const r = result.ratios.find((x) => x.variant === v && x.baseline === b);
        return r === undefined
          ? "–"
          : spec.runs > 1
            ? `${n(r.median)} (${n(r.min)}–${n(r.max)})`
            : n(r.median);
      }),
      n(f.coldMs.median),
      range(f.peakRssMb),
      ...extras.map(([key]) => {
        const value = f.extra[key];
        return value === undefined ? "" : typeof value === "number" ? n(value) : String(value);
      }),
    ];
  });
  return table(head, rows);
}

/**
 * The machine table.
 *
 * @param machine - machine info
 * @returns a Markdown table
 */
export function machineTable(machine: MachineInfo): string {
  return table(
    ["", ""],
    [
      ["Node", `${machine.node} (V8 ${machine.v8})`],
      ["OS / arch", `${machine.platform} / ${machine.arch}`],
      ["CPUs", `${machine.cpus} × ${machine.cpuModel}`],
      ["Memory", `${machine.totalMemoryMb.toLocaleString("en-US")} MB`],
      ["Load average at start (1/5/15 min)", machine.loadAtStart.join(" / ")],
      ["Load average at end (1/5/15 min)", machine.loadAtEnd.join(" / ")],
      ["Ran", `${machine.startedAt} → ${machine.endedAt}`],
    ],
  );
}

/**
 * The goals table.
 *
 * @param goals - checked goals
 * @returns a Markdown table
 */
export function goalsTable(goals: readonly GoalCheck[]): string {
  return table(
    ["goal", "measured", "met"],
    goals.map((g) => [
      g.goal,
      g.measured,
      g.met === null ? "not measured" : g.met ? "✅ yes" : "❌ **missed**",
    ]),
  );
}

/**
 * A CPU profile summary as a Markdown block: top self-time functions, and time per package.
 *
 * @param profile - the summary
 * @returns Markdown
 */
export function profileTable(profile: ProfileSummary): string {
  const packages = Object.entries(profile.byPackage)
    .map(([k, v]) => `${k} ${v} %`)
    .join(", ");
  return [
    `Profiled ${profile.totalMs} ms of measured iterations (sampling every 100 µs). By package: ${packages}.`,
    "",
    table(
      ["function (file:name)", "self ms", "self %"],
      profile.top.map((h) => [`\`${h.name}\``, n(h.selfMs), n(h.percent)]),
    ),
    "",
    "The same time charged to the nearest Echelon function on the stack (what Node internals and dependencies did on its behalf counts as its own):",
    "",
    table(
      ["Echelon function (file:name)", "ms", "%"],
      (profile.byEchelonFrame ?? []).map((h) => [`\`${h.name}\``, n(h.selfMs), n(h.percent)]),
    ),
  ].join("\n");
}

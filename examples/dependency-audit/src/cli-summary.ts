import { isAbsolute, join, relative } from "node:path";
import type { AuditOutcome } from "./audit.js";
import { REPORT_FILES } from "./publish.js";
import { policyVerdict } from "./render-markdown.js";
import { OVERHEAD_FORMULA } from "./report-content.js";

/**
 * A path as the user can open it from `base` (the folder they ran the command in): relative
 * when it lies under `base`, absolute otherwise.
 *
 * @param base - the user's folder
 * @param path - an absolute path
 * @returns the path to print
 */
export function displayPath(base: string, path: string): string {
  const rel = relative(base, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** Tasks neither completed, failed, cancelled, compensated nor skipped: run in-process by a pattern, or never run. */
function otherTasks(outcome: AuditOutcome): number {
  const m = outcome.result.metadata;
  const settled = m.completedTasks + m.failedTasks + m.cancelledTasks + m.compensatedTasks + m.skippedTasks;
  return Math.max(0, m.totalTasks - settled);
}

function analysersLine(workers: number, workerHosts: number): string {
  if (workerHosts > 0) return `${workerHosts} worker-host processes over Redis (leaf slots ${workerHosts})`;
  return workers === 0
    ? "in-process, 1 thread (leaf slots 1)"
    : `${workers} worker threads (leaf slots ${workers})`;
}

/**
 * The human summary: measured figures, where the report is, and the licence policy's findings.
 *
 * @param outcome - the audit's outcome
 * @param base - the user's folder, for the report's path
 * @returns lines to print on stdout
 */
export function summaryLines(outcome: AuditOutcome, base: string): string[] {
  const { result, reportDir, packages, unreadable, policy } = outcome;
  const m = result.metadata;
  const x = m.metrics;
  const skipped =
    unreadable.length > 0 ? ` (${unreadable.length} could not be read, listed in the report)` : "";
  const other = otherTasks(outcome);
  const otherText =
    (m.skippedTasks > 0 ? `, ${m.skippedTasks} skipped` : "") +
    (other === 0 ? "" : result.success ? `, ${other} run in-process by a pattern` : `, ${other} not run`);
  const lines = [
    "",
    result.success ? "Dependency audit complete" : `Dependency audit FAILED: ${result.errorMessage}`,
    `  packages audited      ${packages - unreadable.length}${skipped}`,
    `  execution time        ${result.executionTime.toFixed(2)} s (process ${(performance.now() / 1000).toFixed(2)} s)`,
    `  agents used           ${result.agentsUsed}`,
    `  levels deep           ${result.levelsDeep}`,
    `  patterns used         ${m.patternsUsed.join(", ")}`,
    `  tasks                 ${m.completedTasks}/${m.totalTasks} completed, ${m.failedTasks} failed, ${m.compensatedTasks} compensated${otherText}`,
    `  package analysers     ${analysersLine(outcome.workers, outcome.workerHosts)}`,
    `  coordination overhead ${result.coordinationOverhead.toFixed(1)} % = ${OVERHEAD_FORMULA}, wall ${x.wallMs.toFixed(0)} ms, ` +
      `lower bound ${x.lowerBoundMs.toFixed(0)} ms = max(critical path ${x.criticalPathMs.toFixed(0)} ms, agent work ${x.totalBusyMs.toFixed(0)} ms / ${x.leafSlots} slot${x.leafSlots === 1 ? "" : "s"})`,
  ];
  if (outcome.journal !== null) {
    lines.push(
      `  journal               ${displayPath(base, outcome.journal)} (echelon status ${result.orchestrationId} --db ${displayPath(base, outcome.journal)})`,
    );
  }
  if (reportDir !== null) {
    lines.push(
      `  report                ${displayPath(base, join(reportDir, REPORT_FILES.html))} (and ${REPORT_FILES.markdown}, ${REPORT_FILES.data})`,
    );
  }
  if (policy !== null) {
    lines.push(`  licence policy        ${policyVerdict(policy)}`);
    const width = Math.max(
      0,
      ...[...policy.denied, ...policy.unknown].map((f) => f.name.length + f.version.length + 1),
    );
    for (const [label, list] of [
      ["denied ", policy.denied],
      ["unknown", policy.unknown],
    ] as const) {
      for (const f of list)
        lines.push(`    ${label}  ${`${f.name}@${f.version}`.padEnd(width)}  ${f.licence}  (${f.reason})`);
    }
  }
  return lines;
}

/**
 * The machine-readable summary printed by `--json`: the outcome, the measured figures, the
 * report's files (absolute paths) and the licence policy's findings.
 *
 * @param outcome - the audit's outcome
 * @param root - the audited folder
 * @param exitCode - the command's exit code
 * @returns a JSON value
 */
export function summaryJson(outcome: AuditOutcome, root: string, exitCode: number): Record<string, unknown> {
  const { result, reportDir, packages, unreadable, policy } = outcome;
  const m = result.metadata;
  return {
    success: result.success && policy?.broken !== true,
    exitCode,
    root,
    packages: { found: packages, audited: packages - unreadable.length, unreadable },
    report:
      reportDir === null
        ? null
        : {
            dir: reportDir,
            html: join(reportDir, REPORT_FILES.html),
            markdown: join(reportDir, REPORT_FILES.markdown),
            data: join(reportDir, REPORT_FILES.data),
          },
    policy,
    journal:
      outcome.journal === null ? null : { path: outcome.journal, orchestrationId: result.orchestrationId },
    packageAnalysers: {
      workers: outcome.workers,
      workerHosts: outcome.workerHosts,
      leafSlots: m.metrics.leafSlots,
    },
    measured: {
      state: result.state,
      executionTime: result.executionTime,
      agentsUsed: result.agentsUsed,
      levelsDeep: result.levelsDeep,
      coordinationOverhead: result.coordinationOverhead,
      overheadFormula: OVERHEAD_FORMULA,
      patternsUsed: m.patternsUsed,
      tasks: {
        total: m.totalTasks,
        completed: m.completedTasks,
        failed: m.failedTasks,
        cancelled: m.cancelledTasks,
        compensated: m.compensatedTasks,
        skipped: m.skippedTasks,
      },
      metrics: m.metrics,
    },
    error: result.error,
  };
}

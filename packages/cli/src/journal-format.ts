import type { OrchestrationStatus, RunSummary } from "@echelon/core";
import { isFinalState, isOwnerProcessGone } from "@echelon/core";

function when(epochMs: number | null): string {
  return epochMs === null ? "-" : new Date(epochMs).toISOString().slice(0, 19).replace("T", " ");
}

function seconds(ms: number): string {
  return ms < 100_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function duration(s: RunSummary, now: number): string {
  if (s.startedAtEpochMs === null) return "-";
  return seconds((s.endedAtEpochMs ?? now) - s.startedAtEpochMs);
}

/** The lease owner, unless none holds the run or its process on this host is gone (crashed). */
function liveOwner(s: RunSummary): string | null {
  return s.owner !== null && !isOwnerProcessGone(s.owner) ? s.owner : null;
}

/** Who runs it: the lease owner, or why nobody does. */
function ownerText(s: RunSummary): string {
  const owner = liveOwner(s);
  if (owner !== null) return owner;
  return isFinalState(s.state) ? "-" : "none (crashed or stopped?)";
}

/**
 * The table `echelon list` prints: newest first, one run per line.
 *
 * @param summaries - the runs, newest first
 * @param now - wall clock now, epoch ms (durations of running runs)
 * @returns the text, newline included
 */
export function formatRunList(summaries: readonly RunSummary[], now: number): string {
  const rows = summaries.map((s) => [
    s.orchestrationId,
    s.taskId || "-",
    s.state + (s.cancelRequested && !isFinalState(s.state) ? " (cancel requested)" : ""),
    when(s.startedAtEpochMs),
    duration(s, now),
    ownerText(s),
  ]);
  const head = ["ID", "TASK", "STATE", "STARTED (UTC)", "DURATION", "OWNER"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return `${[line(head), ...rows.map(line)].join("\n")}\n`;
}

/**
 * What `echelon status <id>` prints for a journaled run: its state and task counts (folded
 * from the journal), times, owner, cancel request, plan hash and the failed tasks.
 *
 * @param summary - the run's summary (`null` when the store has none)
 * @param status - the status folded from the run's events
 * @param now - wall clock now, epoch ms
 * @returns the text, newline included
 */
export function formatJournalStatus(
  summary: RunSummary | null,
  status: OrchestrationStatus,
  now: number,
): string {
  const lines = [
    `${status.orchestrationId} (${status.taskId || "-"}): ${status.state} ${status.progress.toFixed(0)} % of ${status.totalTasks} tasks`,
    `  tasks     ${status.completedTasks} completed, ${status.failedTasks} failed, ${status.cancelledTasks} cancelled, ${status.skippedTasks} skipped, ${status.compensatedTasks} compensated, ${status.runningTasks} running, ${status.pendingTasks} pending`,
  ];
  if (summary !== null) {
    lines.push(
      `  started   ${when(summary.startedAtEpochMs)} UTC${summary.endedAtEpochMs !== null ? `, ended ${when(summary.endedAtEpochMs)} UTC` : ""} (${duration(summary, now)})`,
    );
    if (!isFinalState(summary.state)) {
      lines.push(
        liveOwner(summary) !== null
          ? `  owner     ${summary.owner}`
          : "  owner     none: no live process holds it (it crashed or was stopped); `echelon resume <id>` continues it",
      );
    }
    if (summary.cancelRequested) lines.push("  cancel    requested");
    if (summary.planHash !== null) lines.push(`  plan      ${summary.planHash}`);
  }
  const failed = Object.values(status.nodes).filter((n) => n.state === "failed");
  for (const node of failed.slice(0, 10)) lines.push(`  failed    ${node.path}: ${node.errorCode ?? "?"}`);
  if (failed.length > 10) lines.push(`  failed    … and ${failed.length - 10} more (--json lists them all)`);
  return `${lines.join("\n")}\n`;
}

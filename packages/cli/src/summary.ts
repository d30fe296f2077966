import type { OrchestrationResult } from "@echelon/core";

/**
 * The measured summary of a result, as printed after a run.
 *
 * @param result - the orchestration's result
 * @returns lines of text
 */
export function formatSummary(result: OrchestrationResult): string {
  const m = result.metadata;
  const head = result.success
    ? `completed ${result.orchestrationId}`
    : `${result.state} ${result.orchestrationId}: ${result.error?.code ?? ""} ${result.errorMessage ?? ""}`.trim();
  return [
    head,
    `  execution time         ${result.executionTime.toFixed(3)} s`,
    `  agents used            ${result.agentsUsed}`,
    `  levels deep            ${result.levelsDeep}`,
    `  patterns used          ${m.patternsUsed.join(", ") || "(none: a single task)"}`,
    `  tasks                  ${m.completedTasks}/${m.totalTasks} completed, ${m.failedTasks} failed, ${m.cancelledTasks} cancelled, ${m.compensatedTasks} compensated`,
    `  coordination overhead  ${result.coordinationOverhead.toFixed(1)} %`,
    "",
  ].join("\n");
}

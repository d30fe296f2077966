import type { OrchestrationResult } from "echelon";
import { describe, expect, it } from "vitest";
import type { AuditOutcome } from "../src/audit.js";
import { displayPath, summaryLines } from "../src/cli-summary.js";

function outcome(tasks: { completed: number; skipped: number; total: number }): AuditOutcome {
  const result = {
    orchestrationId: "o-1",
    success: true,
    state: "completed",
    executionTime: 0.3,
    agentsUsed: 9,
    levelsDeep: 3,
    coordinationOverhead: 10,
    errorMessage: null,
    error: null,
    metadata: {
      patternsUsed: ["pipeline"],
      totalTasks: tasks.total,
      completedTasks: tasks.completed,
      failedTasks: 0,
      cancelledTasks: 0,
      compensatedTasks: 0,
      skippedTasks: tasks.skipped,
      metrics: {
        wallMs: 300,
        lowerBoundMs: 270,
        criticalPathMs: 50,
        totalBusyMs: 270,
        leafSlots: 1,
        peakConcurrency: 1,
      },
    },
  } as unknown as OrchestrationResult;
  return {
    result,
    reportDir: "/u/out/report-1",
    packages: 3,
    unreadable: [],
    policy: null,
    workers: 0,
    workerHosts: 0,
    journal: null,
  };
}

const tasksLine = (o: AuditOutcome) => summaryLines(o, "/u").find((l) => l.includes("tasks"));

describe("audit summary", () => {
  it("counts skipped tasks and tasks a pattern ran in-process apart", () => {
    expect(tasksLine(outcome({ completed: 9, skipped: 1, total: 10 }))).toMatch(
      /9\/10 completed.*, 1 skipped$/,
    );
    expect(tasksLine(outcome({ completed: 9, skipped: 0, total: 10 }))).toMatch(
      /9\/10 completed.*, 1 run in-process by a pattern$/,
    );
  });

  it("names the journal and the command that shows the run, only when there is one", () => {
    const journaled = {
      ...outcome({ completed: 9, skipped: 1, total: 10 }),
      journal: "/u/.echelon/echelon.db",
    };
    const line = summaryLines(journaled, "/u").find((l) => l.trim().startsWith("journal"));
    expect(line).toBe(
      "  journal               .echelon/echelon.db (echelon status o-1 --db .echelon/echelon.db)",
    );
    expect(summaryLines(outcome({ completed: 9, skipped: 1, total: 10 }), "/u").join("\n")).not.toContain(
      "journal",
    );
  });

  it("prints paths relative to the user's folder when they are under it, else absolute", () => {
    expect(displayPath("/u", "/u/out/report-1/report.html")).toBe("out/report-1/report.html");
    expect(displayPath("/u/docs", "/u/out/report.html")).toBe("/u/out/report.html");
    expect(displayPath("/u", "/u")).toBe(".");
  });
});

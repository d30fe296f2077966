import type { OrchestrationResult, Plan, TaskSpec } from "@echelon/core";
import {
  createOrchestrator,
  EchelonError,
  type HierarchicalOrchestrator,
  type PresetName,
  withPreset,
} from "echelon";
import { specToPlan } from "echelon/plugin";
import { CliErrorCode } from "./errors.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { loadAgents } from "./load-agents.js";
import { followProgress, type ProgressMode } from "./progress.js";
import { formatSummary } from "./summary.js";

/** Options shared by `run` and `orchestrate`. */
export interface RunOptions {
  /** Module exporting the agents (`--agents`). */
  readonly agents?: string;
  /** Deepest depth, root = 0 (`--max-depth`). */
  readonly maxDepth?: number;
  /** Distribution strategy name (`--strategy`). */
  readonly strategy?: string;
  /** Pattern for composite tasks that name none (`--pattern`). */
  readonly pattern?: string;
  /** Configuration preset (`--preset`). */
  readonly preset?: PresetName;
  /** Orchestration id (`--id`). */
  readonly id?: string;
  /** Print the result as JSON, no progress (`--json`). */
  readonly json?: boolean;
  /** Print nothing (`--quiet`). */
  readonly quiet?: boolean;
  /** Serve the live dashboard while running (`--dashboard`). */
  readonly dashboard?: boolean;
  /** Port of the dashboard (`--dashboard-port`); implies `dashboard`. */
  readonly dashboardPort?: number;
  /** Run a spec exactly as written (no decomposition of a task without children). Default false. */
  readonly asWritten?: boolean;
}

interface DashboardLike {
  readonly url: string;
  close(): Promise<void>;
}

async function openDashboard(
  orchestrator: HierarchicalOrchestrator,
  port: number | undefined,
): Promise<DashboardLike> {
  const specifier = "@echelon/monitoring";
  let mod: {
    startDashboard?: (o: { orchestrator: HierarchicalOrchestrator; port?: number }) => Promise<DashboardLike>;
  };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (error) {
    throw new EchelonError(
      CliErrorCode.DASHBOARD_UNAVAILABLE,
      "--dashboard needs @echelon/monitoring. Install it next to @echelon/cli, or run without --dashboard.",
      { cause: error },
    );
  }
  return mod.startDashboard!({ orchestrator, ...(port !== undefined ? { port } : {}) });
}

/**
 * Runs a task (text or spec) with the agents of a module, showing progress, and prints the
 * measured summary (or the result as JSON).
 *
 * @returns the exit code for the result
 * @throws EchelonError on bad input (spec, agents, options) before any work starts
 */
export async function runTask(task: string | TaskSpec, options: RunOptions, io: CliIo): Promise<ExitCode> {
  const agents = options.agents === undefined ? [] : await loadAgents(options.agents);
  const settings = {
    agents,
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
  };
  const orchestrator = createOrchestrator(
    options.preset === undefined ? settings : withPreset(options.preset, settings),
  );
  const mode: ProgressMode = options.json || options.quiet ? "none" : io.stderr.isTTY ? "bars" : "lines";
  const stop = followProgress(orchestrator.events, orchestrator.levels, mode, io.stderr);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(ExitCode.CANCELLED);
    io.stderr.write("\ncancelling… (press Ctrl-C again to quit at once)\n");
    controller.abort(new EchelonError("ECHELON_CANCELLED", "Cancelled from the command line."));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // Keeps the process alive while agents wait on outside events (a signal must still find us).
  const keepAlive = setInterval(() => {}, 60_000);
  let dashboard: DashboardLike | null = null;
  try {
    if (options.dashboard || options.dashboardPort !== undefined) {
      dashboard = await openDashboard(orchestrator, options.dashboardPort);
      io.stderr.write(`dashboard: ${dashboard.url}\n`);
    }
    const input: string | TaskSpec | Plan =
      options.asWritten && typeof task !== "string"
        ? specToPlan(task, {
            maxDepth: orchestrator.levels.length - 1,
            patterns: orchestrator.patternNames,
            ...(options.pattern !== undefined ? { defaultPattern: options.pattern } : {}),
          })
        : task;
    const result: OrchestrationResult = await orchestrator.orchestrateComplexTask(input, {
      signal: controller.signal,
      ...(options.id !== undefined ? { orchestrationId: options.id } : {}),
      ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
    });
    stop();
    if (options.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!options.quiet) io.stdout.write(formatSummary(result));
    return exitCodeFor(result);
  } finally {
    stop();
    clearInterval(keepAlive);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await dashboard?.close();
    await orchestrator.shutdown();
  }
}

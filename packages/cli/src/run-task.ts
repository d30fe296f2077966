import type { OrchestrationResult, Plan, TaskSpec } from "@echelon/core";
import {
  createOrchestrator,
  EchelonError,
  type HierarchicalOrchestrator,
  type PresetName,
  withPreset,
} from "echelon";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { specToPlan } from "echelon/plugin";
import { CliErrorCode } from "./errors.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { journalPath } from "./journal.js";
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
  /** The journal file (`--db`); default `$ECHELON_DB`, else `<cwd>/.echelon/echelon.db`. */
  readonly db?: string;
  /** Journal the run (`--no-journal` turns it off). Default true. */
  readonly journal?: boolean;
}

/** What a {@link runTask}-style command starts once everything is set up. */
export type StartRun = (
  orchestrator: HierarchicalOrchestrator,
  signal: AbortSignal,
) => Promise<OrchestrationResult>;

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
 * measured summary (or the result as JSON). The run is journaled in SQLite (`--db`) unless
 * `journal` is false, so `echelon list`, `status` and `cancel` reach it from other processes.
 *
 * @returns the exit code for the result
 * @throws EchelonError on bad input (spec, agents, options, journal) before any work starts
 */
export async function runTask(task: string | TaskSpec, options: RunOptions, io: CliIo): Promise<ExitCode> {
  return runOrchestration(options, io, (orchestrator, signal) => {
    const input: string | TaskSpec | Plan =
      options.asWritten && typeof task !== "string"
        ? specToPlan(task, {
            maxDepth: orchestrator.levels.length - 1,
            patterns: orchestrator.patternNames,
            ...(options.pattern !== undefined ? { defaultPattern: options.pattern } : {}),
          })
        : task;
    return orchestrator.orchestrateComplexTask(input, {
      signal,
      ...(options.id !== undefined ? { orchestrationId: options.id } : {}),
      ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
    });
  });
}

/**
 * Sets up what every running command needs (agents, journal, orchestrator, progress, Ctrl-C,
 * dashboard), starts the run with `start` and prints its summary.
 *
 * @returns the exit code for the result
 */
export async function runOrchestration(options: RunOptions, io: CliIo, start: StartRun): Promise<ExitCode> {
  const agents = options.agents === undefined ? [] : await loadAgents(options.agents);
  const store =
    options.journal === false ? null : new SqliteEventStore({ path: journalPath(options.db, io.cwd) });
  // Refusals of the journal (a damaged file, a newer schema) come before any work.
  store?.open();
  const settings = {
    agents,
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.strategy !== undefined ? { strategy: options.strategy } : {}),
    ...(store !== null ? { eventStore: store } : {}),
  };
  const orchestrator = createOrchestrator(
    options.preset === undefined ? settings : withPreset(options.preset, settings),
  );
  const mode: ProgressMode = options.json || options.quiet ? "none" : io.stderr.isTTY ? "bars" : "lines";
  if (store !== null && mode !== "none") io.stderr.write(`journal: ${store.path}\n`);
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
    const result = await start(orchestrator, controller.signal);
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
    await store?.close();
  }
}

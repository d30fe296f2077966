import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  CoreErrorCode,
  EchelonError,
  createOrchestrator,
  isEchelonError,
  loadSpec,
  type PresetName,
  presets,
} from "echelon";
import { CliErrorCode } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { loadAgents } from "./load-agents.js";
import { journalCancel, journalStatus, listRuns, pruneRuns } from "./journal-commands.js";
import { formatPlanTree } from "./plan-tree.js";
import { type DashboardAddress, formatRemoteStatus, remoteCancel, remoteStatus } from "./remote.js";
import { type ResumeFunction, resumeRun } from "./resume-run.js";
import { runTask } from "./run-task.js";
import { resolveSpecFile, resolveTaskArgument } from "./task-argument.js";
import { registerWorkerCommand } from "./worker-command.js";

const VERSION = "0.1.0";
const DB_HELP = ".echelon/echelon.db";

function integer(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}.`);
    return n;
  };
}

/** Options of `echelon plan`; `agents` decide which inferred capabilities are offered. */
interface PlanCommandOptions {
  json?: boolean;
  maxDepth?: number;
  pattern?: string;
  agents?: string;
}

/**
 * Builds the `echelon` command and runs it on `argv` (without the node and script paths).
 *
 * @param argv - the arguments
 * @param io - streams and working directory
 * @param hooks - `resume`: how `echelon resume` continues a run (default core's `orchestrator.resume`)
 * @returns the exit code (see `ExitCode`)
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  hooks: { readonly resume?: ResumeFunction } = {},
): Promise<number> {
  let exitCode: number = ExitCode.SUCCESS;
  const program = new Command("echelon")
    .description("Plan, run and watch hierarchical agent orchestrations.")
    .version(VERSION)
    .option("--verbose", "print stack traces of errors")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  const runOptions = (cmd: Command) =>
    cmd
      .option("-a, --agents <module>", "module exporting the agents (`export const agents = [...]`)")
      .option("--max-depth <n>", "deepest level (root = 0)", integer("--max-depth", 0))
      .option("--strategy <name>", "distribution strategy: round-robin, least-loaded, capability, priority")
      .option("--pattern <name>", "pattern for composite tasks the plan leaves open")
      .addOption(new Option("--preset <name>", "configuration preset").choices(Object.keys(presets)))
      .option("--id <id>", "orchestration id (default: a random UUID)")
      .option("--json", "print the result as JSON on stdout, no progress")
      .option("-q, --quiet", "no progress, no summary; only the exit code")
      .option("--dashboard", "serve the live dashboard while running (needs @echelon/monitoring)")
      .option(
        "--dashboard-port <port>",
        "port of the dashboard (implies --dashboard; default: a free one)",
        integer("--dashboard-port", 0),
      )
      .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
      .option("--no-journal", "do not journal the run (list, status and cancel will not find it)");

  program
    .command("plan")
    .description("print the decomposition tree of a task text or a spec file")
    .argument("<task>", "task text, or a .yaml/.json spec file")
    .option("--json", "print the plan as JSON")
    .option("--max-depth <n>", "deepest level (root = 0)", integer("--max-depth", 0))
    .option("--pattern <name>", "pattern for every composite task")
    .option("-a, --agents <module>", "agents whose capabilities the plan may use (others are marked)")
    .action(async (task: string, opts: PlanCommandOptions) => {
      const arg = resolveTaskArgument("plan", task, io.cwd);
      const agents = opts.agents === undefined ? undefined : await loadAgents(opts.agents);
      const orchestrator = createOrchestrator({
        ...(opts.maxDepth !== undefined ? { maxDepth: opts.maxDepth } : {}),
        ...(agents !== undefined ? { agents } : {}),
      });
      try {
        const input = arg.kind === "file" ? await loadSpec(arg.path) : arg.text;
        const plan = await orchestrator.plan(
          input,
          opts.pattern !== undefined ? { pattern: opts.pattern } : {},
        );
        io.stdout.write(
          opts.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanTree(plan, orchestrator.levels),
        );
      } finally {
        await orchestrator.shutdown();
      }
    });

  runOptions(
    program
      .command("run")
      .description("run a spec file (.yaml or .json) with the agents of a module")
      .argument("<spec>", "the spec file"),
  ).action(async (spec: string, opts: Record<string, unknown>) => {
    const loaded = await loadSpec(resolveSpecFile(spec, io.cwd));
    exitCode = await runTask(
      loaded,
      { ...opts, preset: opts.preset as PresetName | undefined, asWritten: true },
      io,
    );
  });

  runOptions(
    program
      .command("orchestrate")
      .description("decompose a task text, then run it with the agents of a module")
      .argument("<task>", "what to do, in words"),
  ).action(async (task: string, opts: Record<string, unknown>) => {
    resolveTaskArgument("orchestrate", task, io.cwd);
    if (opts.agents === undefined) {
      throw new EchelonError(
        CliErrorCode.OPTION_INVALID,
        "orchestrate needs --agents <module>: the agents that do the work.",
      );
    }
    exitCode = await runTask(task, { ...opts, preset: opts.preset as PresetName | undefined }, io);
  });

  // A dashboard with --url (or $ECHELON_DASHBOARD_URL when no --db is given); else the journal.
  const dashboard = (opts: { url?: string; token?: string; db?: string }): DashboardAddress | null => {
    const url = opts.url ?? (opts.db === undefined ? process.env.ECHELON_DASHBOARD_URL : undefined);
    return url === undefined ? null : { url, ...(opts.token !== undefined ? { token: opts.token } : {}) };
  };
  program
    .command("status")
    .description("show the status of an orchestration, from the journal (or a dashboard with --url)")
    .argument("<id>", "orchestration id")
    .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
    .option(
      "--url <url>",
      "ask the dashboard of the running process instead (default: $ECHELON_DASHBOARD_URL)",
    )
    .option("--token <token>", "the dashboard's token, if it has one")
    .option("--json", "print the status as JSON")
    .action(async (id: string, opts: { url?: string; token?: string; json?: boolean; db?: string }) => {
      const remote = dashboard(opts);
      if (remote === null) {
        exitCode = await journalStatus(id, opts, io);
        return;
      }
      const status = await remoteStatus(remote, id);
      io.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatRemoteStatus(status));
    });
  program
    .command("cancel")
    .description("cancel an orchestration: request it in the journal (or through a dashboard with --url)")
    .argument("<id>", "orchestration id")
    .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
    .option(
      "--url <url>",
      "ask the dashboard of the running process instead (default: $ECHELON_DASHBOARD_URL)",
    )
    .option("--token <token>", "the dashboard's token, if it has one")
    .action(async (id: string, opts: { url?: string; token?: string; db?: string }) => {
      const remote = dashboard(opts);
      if (remote === null) {
        exitCode = await journalCancel(id, opts, io);
        return;
      }
      const answer = await remoteCancel(remote, id);
      if (answer.outcome === "already-finished") {
        io.stdout.write(`${id} already finished (${answer.state}); nothing was cancelled\n`);
        exitCode = ExitCode.ALREADY_FINISHED;
      } else {
        io.stdout.write(`cancellation of ${id} requested\n`);
      }
    });
  program
    .command("list")
    .description("list the journaled orchestrations, newest first")
    .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
    .option("--limit <n>", "at most this many runs", integer("--limit", 1), 20)
    .option("--json", "print the runs as JSON")
    .action(async (opts: { db?: string; limit: number; json?: boolean }) => {
      exitCode = await listRuns(opts, io);
    });
  program
    .command("prune")
    .description("remove finished runs from the journal by age and count (running runs are kept)")
    .option("--older-than <duration>", "remove finished runs that ended longer ago (e.g. 7d, 12h, 30m)")
    .option("--keep <n>", "keep at most the n newest finished runs", integer("--keep", 0))
    .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
    .option("--json", "print { removed, path } as JSON")
    .action(async (opts: { olderThan?: string; keep?: number; db?: string; json?: boolean }) => {
      exitCode = await pruneRuns(opts, io);
    });
  program
    .command("resume")
    .description("continue a journaled run that stopped (a crash, a kill) with the agents of a module")
    .argument("<id>", "orchestration id")
    .option("-a, --agents <module>", "module exporting the agents (`export const agents = [...]`)")
    .option("--force", "resume even if the plan changed since the run stopped")
    .option("--db <path>", `the journal (default: $ECHELON_DB, else ${DB_HELP})`)
    .option("--max-depth <n>", "deepest level (root = 0)", integer("--max-depth", 0))
    .option("--strategy <name>", "distribution strategy: round-robin, least-loaded, capability, priority")
    .addOption(new Option("--preset <name>", "configuration preset").choices(Object.keys(presets)))
    .option("--json", "print the result as JSON on stdout, no progress")
    .option("-q, --quiet", "no progress, no summary; only the exit code")
    .action(async (id: string, opts: Record<string, unknown>) => {
      exitCode = await resumeRun(
        id,
        { ...opts, preset: opts.preset as PresetName | undefined },
        io,
        hooks.resume,
      );
    });

  registerWorkerCommand(program, io, (code) => {
    exitCode = code;
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return report(error, argv.includes("--verbose"), io);
  }
}

/** Codes that mean "not possible right now" rather than bad input (exit 69). */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  CliErrorCode.NOT_AVAILABLE,
  CliErrorCode.TRANSPORT_UNAVAILABLE,
  "ECHELON_TRANSPORT_REDIS_UNAVAILABLE",
  CoreErrorCode.STORE_WRITE_FAILED,
  CoreErrorCode.STORE_LEASE_HELD,
]);

function report(error: unknown, verbose: boolean, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
    ) {
      return ExitCode.SUCCESS;
    }
    return ExitCode.BAD_INPUT;
  }
  if (isEchelonError(error)) {
    io.stderr.write(`error ${error.code}: ${error.message}\n`);
    if (verbose && error.stack) io.stderr.write(`${error.stack}\n`);
    return UNAVAILABLE_CODES.has(error.code) ? ExitCode.UNAVAILABLE : ExitCode.BAD_INPUT;
  }
  io.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("run again with --verbose for the stack trace, and please report it.\n");
  return ExitCode.INTERNAL;
}

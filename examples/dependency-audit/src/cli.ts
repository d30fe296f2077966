import { isAbsolute, resolve } from "node:path";
import { defaultDatabasePath } from "@echelon/store-sqlite";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { isEchelonError } from "echelon";
import { runDependencyAudit } from "./audit.js";
import { displayPath, summaryJson, summaryLines } from "./cli-summary.js";
import { AuditErrorCode } from "./errors.js";
import { ExitCode, exitCodeFor } from "./exit-codes.js";
import { findProjectRoot } from "./inventory.js";
import { breakingPolicy, parseLicenceList } from "./licence-policy.js";

/** Where the command reads and writes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** The process's working directory. */
  readonly cwd: string;
  /** The environment; `INIT_CWD` (set by npm and pnpm) is the folder the user ran them in. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

interface CliOptions {
  readonly root?: string;
  readonly out?: string;
  readonly json?: boolean;
  readonly allow?: string[];
  readonly deny?: string[];
  readonly limit?: number;
  readonly workers?: number;
  readonly workerHosts?: number;
  readonly redis?: string;
  readonly db?: string;
  readonly journal?: boolean;
  readonly quiet?: boolean;
  readonly verbose?: boolean;
}

const EXAMPLES = `
Examples (from the Echelon repository; without npm, run node examples/dependency-audit/dist/main.js):
  npm start                                           audit this repository, report in ./out
  npm start -- --root ../my-app --out reports         another project, report in ./reports
  npm start -- --deny GPL-3.0-only,AGPL-3.0-only      exit 1, listing the packages, if any needs them
  npm start -- --worker-hosts 2                       analysers in 2 processes over a local Redis
  npx echelon list                                    the audits journaled in .echelon/echelon.db
  npm start --silent -- --json > audit.json           the summary as JSON, nothing else on stdout

Relative paths are resolved against the folder you ran npm in ($INIT_CWD), else the current one.
Exit codes: 0 done, 1 failed or licence policy broken, 2 report not published (partial output
removed), 3 cancelled, 64 bad input, 70 internal error.
`;

function integer(option: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min) {
      throw new InvalidArgumentError(`${option} must be an integer ≥ ${min}.`);
    }
    return n;
  };
}

function licences(option: string): (value: string, previous: string[] | undefined) => string[] {
  return (value, previous) => {
    try {
      return [...(previous ?? []), ...parseLicenceList(value, option)];
    } catch (error) {
      throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
    }
  };
}

function program(io: CliIo): Command {
  return new Command("echelon-dependency-audit")
    .description(
      "Audit the packages installed in a project's node_modules (npm, pnpm or Yarn): licences, sizes, " +
        "maintenance hints and reviewer votes, published as an HTML and Markdown report.",
    )
    .option(
      "--root <dir>",
      "project whose node_modules is audited (default: the nearest folder upwards with packages installed)",
    )
    .option("--out <dir>", "folder the report is published in (default: ./out)")
    .option("--json", "print a machine-readable summary on stdout, and nothing else")
    .option("--deny <spdx-ids>", "comma-separated SPDX licence ids no package may need", licences("--deny"))
    .option(
      "--allow <spdx-ids>",
      "comma-separated SPDX licence ids every package must be usable under",
      licences("--allow"),
    )
    .option("--limit <n>", "audit only the first n packages", integer("--limit", 1))
    .option(
      "--workers <n>",
      "run the package analysers in n worker threads (default 0: in-process)",
      integer("--workers", 0),
    )
    .option(
      "--worker-hosts <n>",
      "run the package analysers in n worker-host processes over Redis (BullMQ) instead",
      integer("--worker-hosts", 1),
    )
    .option("--redis <url>", "Redis for --worker-hosts (default: start a throw-away local redis-server)")
    .option(
      "--db <file>",
      "SQLite journal the run is recorded in (default: $ECHELON_DB, else .echelon/echelon.db in the folder you ran in)",
    )
    .option("--no-journal", "record nothing: the run lives in memory only")
    .option("--quiet", "no progress lines")
    .option("--verbose", "print the stack trace of an internal error")
    .helpOption("-h, --help", "show this help")
    .addHelpText("after", EXAMPLES)
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {}, // printed by badInput, with a code
    });
}

function internalError(io: CliIo, error: unknown, verbose: boolean): number {
  io.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write("Run again with --verbose for the stack trace, and please report it.\n");
  return ExitCode.INTERNAL;
}

function badInput(io: CliIo, usage: string, code: string, message: string): number {
  io.stderr.write(`error ${code}: ${message.replace(/^error: /, "").trim()}\n\n${usage}`);
  return ExitCode.BAD_INPUT;
}

/** `--no-journal` → false; `--db` (against the user's folder), else `$ECHELON_DB`, else `.echelon/echelon.db` there. */
function journalOption(
  opts: CliOptions,
  base: string,
  env: Readonly<Record<string, string | undefined>>,
): string | false {
  if (opts.journal === false) return false;
  return opts.db !== undefined ? resolve(base, opts.db) : defaultDatabasePath(env, base);
}

/**
 * Runs the audit command on `argv` (without the node and script paths).
 *
 * @param argv - the arguments
 * @param io - streams, working directory and environment
 * @param signal - aborts the audit (Ctrl-C); the command then exits 3
 * @returns the exit code (see `ExitCode`)
 */
export async function runAuditCli(argv: readonly string[], io: CliIo, signal?: AbortSignal): Promise<number> {
  const cmd = program(io);
  let opts: CliOptions;
  try {
    cmd.parse([...argv], { from: "user" });
    opts = cmd.opts<CliOptions>();
  } catch (error) {
    if (!(error instanceof CommanderError)) return internalError(io, error, argv.includes("--verbose"));
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help") return ExitCode.SUCCESS;
    const code =
      error.code === "commander.invalidArgument" ? AuditErrorCode.INVALID_OPTIONS : AuditErrorCode.USAGE;
    return badInput(io, cmd.helpInformation(), code, error.message);
  }
  const init = io.env.INIT_CWD;
  const base = init !== undefined && isAbsolute(init) ? init : io.cwd;
  const progress = !opts.json && !opts.quiet;
  let lastTenth = -1;
  try {
    const root = opts.root !== undefined ? resolve(base, opts.root) : await findProjectRoot(base);
    const outcome = await runDependencyAudit({
      root,
      outDir: resolve(base, opts.out ?? "out"),
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.workerHosts !== undefined ? { workerHosts: opts.workerHosts } : {}),
      ...(opts.redis !== undefined ? { redis: opts.redis } : {}),
      journal: journalOption(opts, base, io.env),
      licencePolicy: { allow: opts.allow ?? [], deny: opts.deny ?? [] },
      ...(signal ? { signal } : {}),
      onProgress: (p) => {
        if (!progress) return;
        if (p.kind === "stage") io.stderr.write(`▸ ${p.stage}\n`);
        else if (Math.floor((10 * p.done) / p.total) !== lastTenth) {
          lastTenth = Math.floor((10 * p.done) / p.total);
          io.stderr.write(`  analysed ${p.done}/${p.total} packages (${lastTenth * 10} %)\n`);
        }
      },
    });
    const policyBroken = outcome.policy?.broken === true;
    const exitCode = exitCodeFor(outcome.result, policyBroken);
    if (opts.json) io.stdout.write(`${JSON.stringify(summaryJson(outcome, root, exitCode), null, 2)}\n`);
    else io.stdout.write(`${summaryLines(outcome, base).join("\n")}\n`);
    if (policyBroken) {
      const n = breakingPolicy(outcome.policy!).length;
      io.stderr.write(
        `error ${AuditErrorCode.POLICY_BROKEN}: ${n} package${n === 1 ? " breaks" : "s break"} the licence policy (listed ${opts.json ? "under policy" : "above"}; report ${displayPath(base, outcome.reportDir ?? root)}).\n`,
      );
    }
    return exitCode;
  } catch (error) {
    if (isEchelonError(error)) return badInput(io, cmd.helpInformation(), error.code, error.message);
    return internalError(io, error, opts.verbose === true);
  }
}

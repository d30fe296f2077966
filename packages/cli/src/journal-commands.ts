import { CoreErrorCode, EchelonError, replayOrchestration } from "@echelon/core";
import { CliErrorCode } from "./errors.js";
import { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { journalPath, withJournal } from "./journal.js";
import { formatJournalStatus, formatRunList } from "./journal-format.js";
import { parseDuration } from "./duration.js";

/** Options shared by the journal commands. */
export interface JournalOptions {
  /** The journal file (`--db`); default `$ECHELON_DB`, else `<cwd>/.echelon/echelon.db`. */
  readonly db?: string;
  /** Print JSON (`--json`). */
  readonly json?: boolean;
}

function unknownRun(id: string, path: string): EchelonError {
  return new EchelonError(
    CoreErrorCode.ORCHESTRATION_UNKNOWN,
    `The journal ${path} holds no orchestration "${id}". Check the id (\`echelon list\`) or the journal (--db).`,
    { details: { orchestrationId: id, path } },
  );
}

/**
 * `echelon list`: the journaled runs, newest first.
 *
 * @returns `SUCCESS`
 * @throws EchelonError `ECHELON_CLI_JOURNAL_NOT_FOUND`; the journal's refusals (`ECHELON_SQLITE_*`)
 */
export async function listRuns(
  options: JournalOptions & { readonly limit?: number },
  io: CliIo,
): Promise<ExitCode> {
  const path = journalPath(options.db, io.cwd);
  const summaries = await withJournal(path, (store) =>
    store.summaries(options.limit !== undefined ? { limit: options.limit } : {}),
  );
  if (options.json) io.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
  else if (summaries.length === 0) io.stdout.write(`no runs in ${path}\n`);
  else io.stdout.write(formatRunList(summaries, Date.now()));
  return ExitCode.SUCCESS;
}

/**
 * `echelon status <id>` from the journal: the run's events folded by core's
 * `replayOrchestration`, so it works after the process running it died.
 *
 * @returns `SUCCESS`
 * @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN`, `ECHELON_CLI_JOURNAL_NOT_FOUND`, `ECHELON_SQLITE_*`
 */
export async function journalStatus(id: string, options: JournalOptions, io: CliIo): Promise<ExitCode> {
  const path = journalPath(options.db, io.cwd);
  const { events, summary } = await withJournal(path, async (store) => ({
    events: store.read(id),
    summary: (await store.summaries()).find((s) => s.orchestrationId === id) ?? null,
  }));
  if (events.length === 0 && summary === null) throw unknownRun(id, path);
  const { status, result } = replayOrchestration(events);
  if (options.json) io.stdout.write(`${JSON.stringify({ summary, status, result }, null, 2)}\n`);
  else io.stdout.write(formatJournalStatus(summary, status, Date.now()));
  return ExitCode.SUCCESS;
}

/**
 * `echelon cancel <id>` through the journal: records the request; the process running the run
 * sees it (it polls about once a second) and cancels it.
 *
 * @returns `SUCCESS` when requested; `ALREADY_FINISHED` when the run had ended
 * @throws EchelonError `ECHELON_ORCHESTRATION_UNKNOWN`, `ECHELON_CLI_JOURNAL_NOT_FOUND`, `ECHELON_SQLITE_*`
 */
export async function journalCancel(id: string, options: JournalOptions, io: CliIo): Promise<ExitCode> {
  const path = journalPath(options.db, io.cwd);
  return withJournal(path, async (store) => {
    const outcome = await store.requestCancel(id);
    if (outcome === "unknown") throw unknownRun(id, path);
    const summary = (await store.summaries()).find((s) => s.orchestrationId === id);
    if (outcome === "already-finished") {
      io.stdout.write(`${id} already finished (${summary?.state ?? "finished"}); nothing was cancelled\n`);
      return ExitCode.ALREADY_FINISHED;
    }
    io.stdout.write(
      summary?.owner
        ? `cancellation of ${id} requested; ${summary.owner} stops it within about a second\n`
        : `cancellation of ${id} requested; no live process holds it now, so it applies when the run is resumed\n`,
    );
    return ExitCode.SUCCESS;
  });
}

/**
 * `echelon prune`: removes finished runs older than `--older-than` and beyond the `--keep`
 * newest; running runs are never removed.
 *
 * @returns `SUCCESS`
 * @throws EchelonError `ECHELON_CLI_OPTION_INVALID` without either option or with a bad duration
 */
export async function pruneRuns(
  options: JournalOptions & { readonly olderThan?: string; readonly keep?: number },
  io: CliIo,
): Promise<ExitCode> {
  if (options.olderThan === undefined && options.keep === undefined) {
    throw new EchelonError(
      CliErrorCode.OPTION_INVALID,
      "prune needs --older-than <duration> (e.g. 7d), --keep <n>, or both: it removes nothing by default.",
    );
  }
  const olderThanMs =
    options.olderThan === undefined ? undefined : parseDuration(options.olderThan, "--older-than");
  const path = journalPath(options.db, io.cwd);
  const removed = await withJournal(path, (store) =>
    store.prune({
      ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      ...(options.keep !== undefined ? { keep: options.keep } : {}),
    }),
  );
  if (options.json) io.stdout.write(`${JSON.stringify({ removed, path })}\n`);
  else io.stdout.write(`removed ${removed} finished run${removed === 1 ? "" : "s"} from ${path}\n`);
  return ExitCode.SUCCESS;
}

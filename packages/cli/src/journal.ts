import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { EchelonError } from "@echelon/core";
import { defaultDatabasePath, SqliteEventStore } from "@echelon/store-sqlite";
import { CliErrorCode } from "./errors.js";

/** Where a command's journal is: `--db`, else `$ECHELON_DB`, else `<cwd>/.echelon/echelon.db`. */
export function journalPath(db: string | undefined, cwd: string): string {
  return db === undefined ? defaultDatabasePath(process.env, cwd) : resolve(cwd, db);
}

/**
 * Opens the journal of a command that only reads or flags runs: it must exist (a typo in
 * `--db` must not create an empty journal).
 *
 * @throws EchelonError `ECHELON_CLI_JOURNAL_NOT_FOUND` when there is no file; the store's refusals
 */
export function openExistingJournal(path: string): SqliteEventStore {
  if (!existsSync(path)) {
    throw new EchelonError(
      CliErrorCode.JOURNAL_NOT_FOUND,
      `No journal at ${path}. Runs started with \`echelon run\` in this folder are journaled there; pass --db <file> (or set ECHELON_DB) for another journal.`,
      { details: { path } },
    );
  }
  const store = new SqliteEventStore({ path, retention: false });
  store.open();
  return store;
}

/** Runs `fn` on the journal at `path` and closes it, whatever happens. */
export async function withJournal<T>(path: string, fn: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  const store = openExistingJournal(path);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

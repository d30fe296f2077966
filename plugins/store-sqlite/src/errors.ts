import { CoreErrorCode, EchelonError } from "@echelon/core";

/**
 * Error codes raised by `@echelon/store-sqlite`. Append-only: a code is never renamed or
 * reused for another meaning. Write failures use core's `ECHELON_STORE_WRITE_FAILED` and
 * lease conflicts core's `ECHELON_STORE_LEASE_HELD`.
 */
export const SqliteErrorCode = {
  /** An option of `sqliteStore()` / `SqliteEventStore` has the wrong type or range; `details.option` names it. */
  OPTIONS_INVALID: "ECHELON_SQLITE_OPTIONS_INVALID",
  /** The database file (or its folder) cannot be created or opened: permissions, a missing drive, a path that is a folder. */
  OPEN_FAILED: "ECHELON_SQLITE_OPEN_FAILED",
  /** The file is not an SQLite database (its header is wrong): the path points at some other file. Nothing was changed. */
  NOT_A_DATABASE: "ECHELON_SQLITE_NOT_A_DATABASE",
  /** The file is an SQLite database but not an Echelon journal (it has tables and no Echelon schema). Nothing was changed. */
  FOREIGN_DATABASE: "ECHELON_SQLITE_FOREIGN_DATABASE",
  /** The database file is corrupt or truncated (`details.reason` says what SQLite found); restore a backup or move the file away. */
  CORRUPT: "ECHELON_SQLITE_CORRUPT",
  /** The journal's schema version is newer than this version of the store knows; upgrade `@echelon/store-sqlite`. */
  SCHEMA_TOO_NEW: "ECHELON_SQLITE_SCHEMA_TOO_NEW",
  /** The store was used after `close()`; create a new one. */
  CLOSED: "ECHELON_SQLITE_CLOSED",
} as const;

/** One of the SQLite store's error codes. */
export type SqliteErrorCode = (typeof SqliteErrorCode)[keyof typeof SqliteErrorCode];

/** The SQLite result code of an error thrown by better-sqlite3 (`SQLITE_BUSY`, …), or `null`. */
export function sqliteCode(error: unknown): string | null {
  if (error === null || typeof error !== "object") return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : null;
}

/** True for SQLite errors that mean the file is damaged. */
export function isCorruption(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== null && (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB");
}

/** The coded error for a damaged file at `path`. */
export function corrupt(path: string, reason: string, cause?: unknown): EchelonError {
  return new EchelonError(
    SqliteErrorCode.CORRUPT,
    `The journal ${path} is corrupt or truncated (${reason}). Restore it from a backup, or move it away so a new journal is started; nothing was written to it.`,
    { ...(cause !== undefined ? { cause } : {}), details: { path, reason } },
  );
}

/**
 * Maps an error from a read to the store's codes: corruption becomes `ECHELON_SQLITE_CORRUPT`;
 * anything else is returned unchanged.
 */
export function readError(path: string, error: unknown): unknown {
  if (isCorruption(error))
    return corrupt(path, error instanceof Error ? error.message : String(error), error);
  return error;
}

/** The error `commit()` rejects with when a batch cannot be written. */
export function writeFailed(path: string, events: number, cause: unknown): EchelonError {
  const code = sqliteCode(cause);
  const hint =
    code === "SQLITE_BUSY" || code === "SQLITE_LOCKED"
      ? "another process held the database's write lock past busyTimeoutMs; raise busyTimeoutMs or find the process that keeps a long write open"
      : code === "SQLITE_FULL"
        ? "the disk (or maxSizeBytes) is full; free space or raise maxSizeBytes"
        : code === "SQLITE_READONLY" || code?.startsWith("SQLITE_READONLY")
          ? "the file or its folder is read-only; fix the permissions or point the store at a writable path"
          : isCorruption(cause)
            ? "the file is corrupt; restore it from a backup or move it away"
            : "see the cause";
  return new EchelonError(
    CoreErrorCode.STORE_WRITE_FAILED,
    `The journal ${path} could not be written (${code ?? (cause instanceof Error ? cause.message : String(cause))}): ${hint}. ${
      events > 0
        ? `${events} event(s) are not durable; the run can be resumed once the journal is writable.`
        : "Nothing was changed."
    }`,
    { cause, details: { path, events, sqliteCode: code } },
  );
}

/** The error for any use of a closed store. */
export function closed(path: string): EchelonError {
  return new EchelonError(
    SqliteErrorCode.CLOSED,
    `The SQLite store on ${path} is closed. Create a new SqliteEventStore (or a new orchestrator) to use the journal again.`,
    { details: { path } },
  );
}

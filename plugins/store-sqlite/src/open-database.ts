import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { EchelonError } from "@echelon/core";
import Database from "better-sqlite3";
import { corrupt, isCorruption, SqliteErrorCode, sqliteCode } from "./errors.js";
import type { ResolvedOptions } from "./options.js";
import { migrate, SCHEMA_VERSION, schemaFacts } from "./schema/migrations.js";

const MAGIC = "SQLite format 3\0";

function openFailed(path: string, cause: unknown): EchelonError {
  return new EchelonError(
    SqliteErrorCode.OPEN_FAILED,
    `Cannot open the journal ${path} (${cause instanceof Error ? cause.message : String(cause)}). Check that the path is a file in a folder this process may write, or pass another path (option path, --db or $ECHELON_DB).`,
    { cause, details: { path, sqliteCode: sqliteCode(cause) } },
  );
}

function notADatabase(path: string, reason: string): EchelonError {
  return new EchelonError(
    SqliteErrorCode.NOT_A_DATABASE,
    `${path} is not an SQLite database (${reason}). Point the store at a journal file (option path, --db or $ECHELON_DB) or at a path where none exists yet; nothing was written to this file.`,
    { details: { path, reason } },
  );
}

/**
 * Looks at the file's 100-byte header before SQLite does: a file that is not a database is
 * refused without being touched, and one shorter than its header says (with no WAL holding the
 * rest) is refused as truncated.
 */
function checkHeader(path: string): void {
  if (!existsSync(path)) return;
  const header = Buffer.alloc(100);
  let size: number;
  let read: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error("the path is not a regular file");
    size = stat.size;
    if (size === 0) return;
    const fd = openSync(path, "r");
    try {
      read = readSync(fd, header, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw openFailed(path, error);
  }
  if (read < 100 || header.toString("latin1", 0, 16) !== MAGIC) {
    throw notADatabase(path, read < 100 ? `only ${size} bytes` : "its header is not SQLite's");
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  const sizeValid = header.readUInt32BE(24) === header.readUInt32BE(92);
  const wal = `${path}-wal`;
  const walHoldsPages = existsSync(wal) && statSync(wal).size > 0;
  if (sizeValid && pages > 0 && !walHoldsPages && size < pages * pageSize) {
    throw corrupt(path, `truncated: the file has ${size} bytes, its header says ${pages * pageSize}`);
  }
}

function configure(db: Database.Database, options: ResolvedOptions): void {
  // Only effective before the first table, and before WAL is set: lets prune give space back.
  const empty = db.prepare("SELECT count(*) FROM sqlite_schema").pluck().get() === 0;
  if (empty) db.pragma("auto_vacuum = INCREMENTAL");
  if (options.path !== ":memory:") {
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") throw new Error(`journal_mode is ${String(mode)}, WAL could not be enabled`);
  }
  db.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  if (options.maxSizeBytes !== null) {
    const pageSize = db.pragma("page_size", { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
  }
}

/** Tables every open, read and write relies on; small however many events the journal holds. */
const SMALL_TABLES = ["sqlite_schema", "runs", "shapes"] as const;

function quickCheck(db: Database.Database, path: string, target: string): void {
  const rows = db.pragma(`quick_check(${target})`, { simple: false }) as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
  if (problems.length > 0) throw corrupt(path, `quick_check: ${problems.join("; ")}`);
}

/**
 * SQLite's `quick_check` over the whole file (O(size of the file)).
 *
 * @throws EchelonError `ECHELON_SQLITE_CORRUPT` naming what SQLite found
 */
export function verifyWholeFile(db: Database.Database, path: string): void {
  quickCheck(db, path, "5");
}

function verify(db: Database.Database, path: string, mode: "schema" | "quick"): void {
  if (mode === "quick") {
    verifyWholeFile(db, path);
    return;
  }
  // A new file has no tables yet: its schema is checked, the tables come with the migrations.
  const tables = new Set(
    db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[],
  );
  for (const table of SMALL_TABLES)
    if (table === "sqlite_schema" || tables.has(table)) quickCheck(db, path, table);
}

function prepareSchema(db: Database.Database, path: string): void {
  const facts = schemaFacts(db);
  if (facts.hasTables && !facts.isJournal) {
    throw new EchelonError(
      SqliteErrorCode.FOREIGN_DATABASE,
      `${path} is an SQLite database of some other program (it has tables but no Echelon schema). Point the store at an Echelon journal or at a new path; nothing was written to this file.`,
      { details: { path } },
    );
  }
  if (facts.version > SCHEMA_VERSION) {
    throw new EchelonError(
      SqliteErrorCode.SCHEMA_TOO_NEW,
      `The journal ${path} has schema version ${facts.version}, newer than the ${SCHEMA_VERSION} this @echelon/store-sqlite knows: a newer Echelon wrote it. Upgrade @echelon/store-sqlite (and @echelon/cli), or use another journal; nothing was written to this file.`,
      { details: { path, found: facts.version, supported: SCHEMA_VERSION } },
    );
  }
  migrate(db);
}

/**
 * Opens (creating when missing) the journal at `options.path`, refusing a file that is not a
 * database, a foreign database, a corrupt or truncated one and one whose schema is newer than
 * this code; sets WAL, `synchronous` and the busy timeout; applies pending migrations.
 *
 * @throws EchelonError `ECHELON_SQLITE_OPEN_FAILED`, `ECHELON_SQLITE_NOT_A_DATABASE`,
 *   `ECHELON_SQLITE_FOREIGN_DATABASE`, `ECHELON_SQLITE_CORRUPT`, `ECHELON_SQLITE_SCHEMA_TOO_NEW`
 */
export function openDatabase(options: ResolvedOptions): Database.Database {
  const { path } = options;
  const memory = path === ":memory:";
  if (!memory) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw openFailed(path, error);
    }
    checkHeader(path);
  }
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs });
  } catch (error) {
    throw openFailed(path, error);
  }
  try {
    configure(db, options);
    if (!memory && options.verifyOnOpen !== "none") verify(db, path, options.verifyOnOpen);
    prepareSchema(db, path);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof EchelonError) throw error;
    if (sqliteCode(error) === "SQLITE_NOTADB")
      throw notADatabase(path, "SQLite says: file is not a database");
    if (isCorruption(error))
      throw corrupt(path, error instanceof Error ? error.message : String(error), error);
    throw openFailed(path, error);
  }
}

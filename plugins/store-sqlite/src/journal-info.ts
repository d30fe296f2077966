import type Database from "better-sqlite3";
import type { SynchronousMode } from "./options.js";

/** What {@link SqliteEventStore.info} reports. */
export interface JournalInfo {
  /** Absolute path of the file (or `:memory:`). */
  readonly path: string;
  /** Schema version of the journal (see `SCHEMA_VERSION`). */
  readonly schemaVersion: number;
  /** SQLite's journal mode: `wal` for a file (`memory` for `:memory:`). */
  readonly journalMode: string;
  /** The `synchronous` setting in force on this connection. */
  readonly synchronous: SynchronousMode;
  /** Size of the database (pages × page size), bytes; the WAL file comes on top until a checkpoint. */
  readonly sizeBytes: number;
}

/** Reads what the open journal is from its connection. */
export function journalInfo(db: Database.Database, path: string): JournalInfo {
  const pages = db.pragma("page_count", { simple: true }) as number;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  return {
    path,
    schemaVersion: db.prepare("SELECT max(version) FROM schema_migrations").pluck().get() as number,
    journalMode: String(db.pragma("journal_mode", { simple: true })),
    synchronous: db.pragma("synchronous", { simple: true }) === 2 ? "full" : "normal",
    sizeBytes: pages * pageSize,
  };
}

/**
 * `@echelon/store-sqlite` — a durable Echelon journal on SQLite: batched writes in WAL, every
 * event of a run in order with its plan and outputs stored once, leases and cancel requests
 * shared between processes, summaries and retention.
 *
 * @packageDocumentation
 */
export { SqliteErrorCode } from "./errors.js";
export {
  DB_ENV_VAR,
  DEFAULT_DATA_DIR,
  DEFAULT_DB_FILE,
  DEFAULT_RETENTION,
  defaultDatabasePath,
  type SqliteStoreOptions,
  type SynchronousMode,
  type VerifyMode,
} from "./options.js";
export { type SqliteStorePlugin, sqliteStore } from "./plugin.js";
export { SCHEMA_VERSION } from "./schema/migrations.js";
export type { JournalInfo } from "./journal-info.js";
export { SqliteEventStore } from "./sqlite-event-store.js";
export { VERSION } from "./version.js";
export type { WriteStats } from "./write-buffer.js";

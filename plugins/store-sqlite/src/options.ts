import { join, resolve } from "node:path";
import { EchelonError, type PruneOptions } from "@echelon/core";
import { SqliteErrorCode } from "./errors.js";

/** Folder, under the working directory, of the default journal. */
export const DEFAULT_DATA_DIR = ".echelon";
/** File name of the default journal inside {@link DEFAULT_DATA_DIR}. */
export const DEFAULT_DB_FILE = "echelon.db";
/** Environment variable naming the journal file; it replaces the default path (an explicit `path` wins). */
export const DB_ENV_VAR = "ECHELON_DB";

/** Retention applied when the store opens: finished runs are pruned by age and count. */
export const DEFAULT_RETENTION: Required<PruneOptions> = Object.freeze({
  /** 30 days. */
  olderThanMs: 30 * 24 * 60 * 60 * 1000,
  /** The 1,000 newest finished runs. */
  keep: 1000,
});

/**
 * How hard SQLite works to make a committed batch survive a crash. The journal is always in WAL
 * mode. `"normal"` (the default): a committed batch survives the process being killed (SIGKILL,
 * an uncaught exception, OOM), because it is in the WAL file the OS already holds; a power cut
 * or OS crash may lose the last batches committed since the last checkpoint, never corrupts
 * the file. `"full"`: the WAL is fsynced at every commit, so a committed batch also survives a
 * power cut or an OS crash, at the price of one fsync per batch.
 */
export type SynchronousMode = "normal" | "full";

/**
 * How much of the file opening checks (see {@link SqliteStoreOptions.verifyOnOpen}): the schema
 * and small tables, the whole file, or nothing beyond the header.
 */
export type VerifyMode = "schema" | "quick" | "none";

/** Options of `sqliteStore()` and `SqliteEventStore`. */
export interface SqliteStoreOptions {
  /**
   * The database file. Default: `$ECHELON_DB` when set, else `<cwd>/.echelon/echelon.db`. The
   * folder is created when missing. `":memory:"` keeps the journal in this process only.
   */
  readonly path?: string;
  /** Durability of a commit (see {@link SynchronousMode}). Default `"normal"`. */
  readonly synchronous?: SynchronousMode;
  /** Events written per transaction at most; a full batch is written at once. 1–100,000, default 1,000. */
  readonly batchSize?: number;
  /** How long a write waits for another process's write lock before failing with `SQLITE_BUSY`, ms. 0–600,000, default 5,000. */
  readonly busyTimeoutMs?: number;
  /** Retention applied when the store opens; `false` keeps everything. Default {@link DEFAULT_RETENTION}. */
  readonly retention?: PruneOptions | false;
  /**
   * What opening checks besides the header and the size. `"schema"` (default) runs SQLite's
   * `quick_check` on the schema and the small tables (`runs`, `shapes`): cheap however many
   * events the journal holds; a damaged page of events or plans is refused when it is
   * read (`ECHELON_SQLITE_CORRUPT`), and the whole file is checked before pruning gives pages
   * back. `"quick"` checks the whole file at open (about 2 ms per MB), so a damaged journal is
   * refused at once. `"none"` checks nothing more.
   */
  readonly verifyOnOpen?: VerifyMode;
  /** Largest size the database may grow to, bytes; past it writes fail with `SQLITE_FULL`. Default: no limit. */
  readonly maxSizeBytes?: number;
}

/** Options with their defaults applied. */
export interface ResolvedOptions {
  readonly path: string;
  readonly synchronous: SynchronousMode;
  readonly batchSize: number;
  readonly busyTimeoutMs: number;
  readonly retention: PruneOptions | false;
  readonly verifyOnOpen: VerifyMode;
  readonly maxSizeBytes: number | null;
}

/**
 * The journal path the store uses when none is given: `$ECHELON_DB` when set, else
 * `<cwd>/.echelon/echelon.db`.
 *
 * @param env - environment (default `process.env`)
 * @param cwd - working directory (default `process.cwd()`)
 * @returns an absolute path (or `":memory:"` when the variable says so)
 * @example
 * ```ts
 * defaultDatabasePath({}, "/srv/app"); // "/srv/app/.echelon/echelon.db"
 * ```
 */
export function defaultDatabasePath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  const fromEnv = env[DB_ENV_VAR];
  if (fromEnv !== undefined && fromEnv.trim() !== "") return absolute(fromEnv.trim(), cwd);
  return join(resolve(cwd), DEFAULT_DATA_DIR, DEFAULT_DB_FILE);
}

function absolute(path: string, cwd: string): string {
  return path === ":memory:" ? path : resolve(cwd, path);
}

function invalid(option: string, value: unknown, expected: string): EchelonError {
  return new EchelonError(
    SqliteErrorCode.OPTIONS_INVALID,
    `SQLite store option ${option} must be ${expected}; got ${JSON.stringify(value) ?? String(value)}.`,
    { details: { option, value: String(value) } },
  );
}

function integerIn(option: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw invalid(option, value, `an integer from ${min} to ${max.toLocaleString("en")}`);
  return value;
}

function retentionOf(value: unknown): PruneOptions | false {
  if (value === undefined) return DEFAULT_RETENTION;
  if (value === false) return false;
  if (value === null || typeof value !== "object")
    throw invalid("retention", value, "false or { olderThanMs?, keep? }");
  const { olderThanMs, keep } = value as PruneOptions;
  const max = Number.MAX_SAFE_INTEGER;
  return {
    ...(olderThanMs !== undefined
      ? { olderThanMs: integerIn("retention.olderThanMs", olderThanMs, 0, max, 0) }
      : {}),
    ...(keep !== undefined ? { keep: integerIn("retention.keep", keep, 0, max, 0) } : {}),
  };
}

/**
 * Validates options and applies the defaults (no I/O).
 *
 * @throws EchelonError `ECHELON_SQLITE_OPTIONS_INVALID` naming the option
 */
export function resolveOptions(options: SqliteStoreOptions, cwd: string = process.cwd()): ResolvedOptions {
  if (options === null || typeof options !== "object") throw invalid("options", options, "an object");
  const { path, synchronous, verifyOnOpen } = options;
  if (path !== undefined && (typeof path !== "string" || path.trim() === ""))
    throw invalid("path", path, "a non-empty file path");
  if (synchronous !== undefined && synchronous !== "normal" && synchronous !== "full")
    throw invalid("synchronous", synchronous, '"normal" or "full"');
  if (
    verifyOnOpen !== undefined &&
    verifyOnOpen !== "schema" &&
    verifyOnOpen !== "quick" &&
    verifyOnOpen !== "none"
  )
    throw invalid("verifyOnOpen", verifyOnOpen, '"schema", "quick" or "none"');
  const maxSize = options.maxSizeBytes;
  return {
    path: path === undefined ? defaultDatabasePath(process.env, cwd) : absolute(path, cwd),
    synchronous: synchronous ?? "normal",
    batchSize: integerIn("batchSize", options.batchSize, 1, 100_000, 1000),
    busyTimeoutMs: integerIn("busyTimeoutMs", options.busyTimeoutMs, 0, 600_000, 5000),
    retention: retentionOf(options.retention),
    verifyOnOpen: verifyOnOpen ?? "schema",
    maxSizeBytes:
      maxSize === undefined ? null : integerIn("maxSizeBytes", maxSize, 65_536, Number.MAX_SAFE_INTEGER, 0),
  };
}

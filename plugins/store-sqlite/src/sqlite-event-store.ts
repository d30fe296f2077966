import type {
  CancelRequestOutcome,
  EchelonEvent,
  EventStore,
  ClaimOptions,
  Lease,
  PruneOptions,
  RunSummary,
} from "@echelon/core";
import { EchelonError } from "@echelon/core";
import type Database from "better-sqlite3";
import { type EncodedEvent, encodeEvent } from "./codec/encode.js";
import { closed, corrupt, isCorruption, readError, sqliteCode, writeFailed } from "./errors.js";
import { JournalReader } from "./journal-reader.js";
import { JournalWriter } from "./journal-writer.js";
import { openDatabase, verifyWholeFile } from "./open-database.js";
import { argument, checkPruneOptions } from "./arguments.js";
import { type JournalInfo, journalInfo } from "./journal-info.js";
import { type ResolvedOptions, resolveOptions, type SqliteStoreOptions } from "./options.js";
import { RunTable } from "./run-table.js";
import { WriteBuffer, type WriteStats } from "./write-buffer.js";

interface OpenJournal {
  readonly db: Database.Database;
  readonly writer: JournalWriter;
  readonly reader: JournalReader;
  readonly runs: RunTable;
}

/**
 * Core's {@link EventStore} on an SQLite file (better-sqlite3, WAL): every member of the
 * contract, shared between processes on one machine. Appends are buffered and written in one
 * transaction per turn of the event loop (or per `batchSize` events); `commit()` resolves when
 * they are written. See the package README for the schema and what each `synchronous` setting
 * survives.
 *
 * The constructor only validates options; the file is opened by {@link SqliteEventStore.open}
 * or by the first call that needs it.
 *
 * @example
 * ```ts
 * import { createOrchestrator } from "echelon";
 * import { SqliteEventStore } from "@echelon/store-sqlite";
 *
 * const store = new SqliteEventStore({ path: "./runs.db", synchronous: "full" });
 * const orchestrator = createOrchestrator({ eventStore: store });
 * // … run orchestrations; then:
 * await orchestrator.shutdown();
 * await store.close();
 * ```
 */
export class SqliteEventStore implements EventStore {
  /** Name of the store, for diagnostics. */
  readonly name = "sqlite";
  /** Absolute path of the database file (or `:memory:`). */
  readonly path: string;
  private readonly options: ResolvedOptions;
  private readonly buffer: WriteBuffer<EncodedEvent>;
  private journal: OpenJournal | null = null;
  private isClosed = false;
  /** True once `quick_check` went over the whole open file. */
  private wholeFileChecked = false;

  /**
   * @param options - file, durability, batching, retention (see {@link SqliteStoreOptions})
   * @throws EchelonError `ECHELON_SQLITE_OPTIONS_INVALID` naming a bad option
   */
  constructor(options: SqliteStoreOptions = {}) {
    this.options = resolveOptions(options);
    this.path = this.options.path;
    this.buffer = new WriteBuffer<EncodedEvent>(
      {
        write: (batch) => this.live().writer.write(batch),
        failure: (events, cause) => writeFailed(this.path, events, cause),
      },
      this.options.batchSize,
    );
  }

  /**
   * Opens the file now (idempotent): creates it and its folder when missing, refuses a damaged
   * or foreign one, migrates the schema and applies retention. Every other member opens lazily.
   *
   * @throws EchelonError `ECHELON_SQLITE_OPEN_FAILED`, `ECHELON_SQLITE_NOT_A_DATABASE`,
   *   `ECHELON_SQLITE_FOREIGN_DATABASE`, `ECHELON_SQLITE_CORRUPT`, `ECHELON_SQLITE_SCHEMA_TOO_NEW`,
   *   `ECHELON_SQLITE_CLOSED`
   */
  open(): void {
    this.live();
  }

  /**
   * Buffers one event; it is written with the next batch (see {@link SqliteEventStore.commit}).
   *
   * @throws EchelonError `ECHELON_STORE_WRITE_FAILED` when the event is not JSON (the next
   *   `commit()` rejects too); the open refusals; `ECHELON_SQLITE_CLOSED`
   */
  append(event: EchelonEvent): void {
    this.live();
    let encoded: EncodedEvent;
    try {
      encoded = encodeEvent(event, Date.now);
    } catch (error) {
      const failure = writeFailed(this.path, 1, error);
      this.buffer.lose(failure);
      throw failure;
    }
    this.buffer.push(encoded);
  }

  /**
   * Every event of one orchestration, in the order appended (those of this process not yet
   * written included).
   *
   * @throws EchelonError `ECHELON_SQLITE_CORRUPT` when its rows are damaged
   */
  read(orchestrationId: string): readonly EchelonEvent[] {
    const { reader } = this.live();
    let events: EchelonEvent[];
    try {
      events = reader.read(orchestrationId);
    } catch (error) {
      throw this.mapRead(error);
    }
    for (const pending of this.buffer.buffered)
      if (pending.orchestrationId === orchestrationId) events.push(pending.event);
    return events;
  }

  /**
   * Hands every event of one orchestration to `visit`, in order, as its row is decoded: what
   * {@link SqliteEventStore.read} returns, without holding it all (a resume folds this way).
   * `visit` must not call the store; what it throws stops the read and is thrown as is.
   *
   * @throws EchelonError `ECHELON_SQLITE_CORRUPT` when its rows are damaged
   */
  readEach(orchestrationId: string, visit: (event: EchelonEvent) => void): void {
    const { reader } = this.live();
    let thrown: { readonly error: unknown } | null = null;
    try {
      reader.readEach(orchestrationId, (event) => {
        try {
          visit(event);
        } catch (error) {
          thrown = { error };
          throw error;
        }
      });
    } catch (error) {
      if (thrown !== null) throw (thrown as { readonly error: unknown }).error;
      throw this.mapRead(error);
    }
    for (const pending of this.buffer.buffered)
      if (pending.orchestrationId === orchestrationId) visit(pending.event);
  }

  /** Ids of the orchestrations in the journal, oldest first. */
  list(): readonly string[] {
    const { runs } = this.live();
    this.buffer.flush();
    return this.reading(() => runs.list());
  }

  /**
   * Resolves once every event appended so far is committed (one transaction serves every
   * commit of the same turn).
   *
   * @throws EchelonError `ECHELON_STORE_WRITE_FAILED` with the SQLite error as `cause`
   *   (`SQLITE_BUSY`, `SQLITE_FULL`, `SQLITE_READONLY`, …); `ECHELON_SQLITE_CLOSED`
   */
  commit(): Promise<void> {
    if (this.isClosed) return Promise.reject(closed(this.path));
    return this.buffer.commit();
  }

  /** Summaries of the runs, newest first (at most `limit`). */
  async summaries(options: { readonly limit?: number } = {}): Promise<readonly RunSummary[]> {
    const limit = options.limit;
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0))
      throw argument("summaries limit", limit, "an integer ≥ 0");
    const { runs } = this.live();
    this.buffer.flush();
    return this.reading(() => runs.summaries(limit, Date.now()));
  }

  /**
   * Takes (or renews) the lease on a run for `owner`, valid `ttlMs` from now; works across
   * processes sharing the file. With `options.takeOverFrom`, also takes an unexpired lease that
   * owner holds (core passes a crashed process's id).
   *
   * @throws EchelonError `ECHELON_STORE_LEASE_HELD` naming the owner and expiry when another owner holds it
   */
  async claim(
    orchestrationId: string,
    owner: string,
    ttlMs: number,
    options: ClaimOptions = {},
  ): Promise<Lease> {
    if (typeof owner !== "string" || owner === "") throw argument("claim owner", owner, "a non-empty string");
    if (typeof ttlMs !== "number" || !Number.isFinite(ttlMs) || ttlMs <= 0)
      throw argument("claim ttlMs", ttlMs, "a positive number of milliseconds");
    const { runs } = this.live();
    const takeOverFrom = options.takeOverFrom ?? null;
    return this.writing(() => runs.claim(orchestrationId, owner, ttlMs, takeOverFrom));
  }

  /** Gives a lease up (only its owner can; anyone else's call changes nothing). */
  async release(orchestrationId: string, owner: string): Promise<void> {
    const { runs } = this.live();
    this.writing(() => runs.release(orchestrationId, owner));
  }

  /** Records a request to cancel a run, for the process running it to see. */
  async requestCancel(orchestrationId: string): Promise<CancelRequestOutcome> {
    const { runs } = this.live();
    this.buffer.flush();
    return this.writing(() => runs.requestCancel(orchestrationId));
  }

  /** True when a cancel was requested for the run (one indexed read: cheap to poll). */
  async cancelRequested(orchestrationId: string): Promise<boolean> {
    const { runs } = this.live();
    return this.reading(() => runs.cancelRequested(orchestrationId));
  }

  /**
   * Removes finished runs older than `olderThanMs` (by end time) and beyond the `keep` newest;
   * running, paused and pending runs are never removed. Freed pages are returned to the OS.
   *
   * @returns how many runs were removed
   */
  async prune(options: PruneOptions): Promise<number> {
    checkPruneOptions(options);
    this.live();
    this.buffer.flush();
    return this.pruneNow(options);
  }

  /** What the open journal is: file, schema version, journal mode, `synchronous` in force, size. */
  info(): JournalInfo {
    return journalInfo(this.live().db, this.path);
  }

  /** Counters of the writes since this store was created: transactions, events and rows. */
  stats(): WriteStats {
    return this.buffer.stats();
  }

  /**
   * Writes what is buffered and closes the file. Idempotent.
   *
   * @throws EchelonError `ECHELON_STORE_WRITE_FAILED` when the last events could not be written (the file is closed all the same)
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    const failure = this.journal === null ? null : this.buffer.flush();
    this.isClosed = true;
    if (this.journal !== null) {
      const { db } = this.journal;
      this.journal = null;
      try {
        // Advisory (refreshes the query planner's statistics): a damaged file must still close.
        db.pragma("optimize");
      } catch {
        // Nothing to undo: everything was written (or reported) above.
      }
      db.close();
    }
    if (failure !== null) throw failure;
  }

  private live(): OpenJournal {
    if (this.isClosed) throw closed(this.path);
    if (this.journal === null) {
      const db = openDatabase(this.options);
      this.wholeFileChecked = this.options.verifyOnOpen === "quick";
      this.journal = {
        db,
        writer: new JournalWriter(db),
        reader: new JournalReader(db),
        runs: new RunTable(db),
      };
      if (this.options.retention !== false) this.pruneNow(this.options.retention);
    }
    return this.journal;
  }

  private pruneNow(options: PruneOptions): number {
    const journal = this.journal!;
    const removed = this.writing(() => journal.runs.prune(options));
    if (removed.length > 0) {
      journal.writer.forget(removed);
      // Moving pages of a damaged file would spread the damage: the whole file is checked first
      // (at open already with verifyOnOpen "quick"; once per open store with "schema").
      if (!this.wholeFileChecked && this.options.verifyOnOpen !== "none") {
        this.writing(() => verifyWholeFile(journal.db, this.path));
        this.wholeFileChecked = true;
      }
      this.writing(() => journal.db.pragma("incremental_vacuum"));
    }
    return removed.length;
  }

  private mapRead(error: unknown): unknown {
    if (error instanceof Error && error.name === "MalformedRowError")
      return corrupt(this.path, error.message, error);
    return readError(this.path, error);
  }

  private reading<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.mapRead(error);
    }
  }

  private writing<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof EchelonError) throw error;
      if (isCorruption(error)) throw this.mapRead(error);
      if (sqliteCode(error) !== null) throw writeFailed(this.path, 0, error);
      throw error;
    }
  }
}

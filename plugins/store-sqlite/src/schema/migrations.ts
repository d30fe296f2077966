import type Database from "better-sqlite3";

/** One forward migration of the journal's schema. */
export interface Migration {
  /** Schema version this migration brings the database to (1, 2, …, no gaps). */
  readonly version: number;
  /** What it does, in a few words (stored in `schema_migrations`). */
  readonly name: string;
  /** The statements, run inside the migration's transaction. */
  readonly sql: string;
}

/**
 * The migrations, oldest first. Append-only: a released migration is never edited; a change
 * of schema is a new migration with the next version.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "runs, shapes, events, plans",
    sql: `
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        orchestration_id TEXT NOT NULL UNIQUE,
        task_id TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'pending',
        created_at_ms INTEGER NOT NULL,
        started_at_ms INTEGER,
        ended_at_ms INTEGER,
        plan_hash TEXT,
        lease_owner TEXT,
        lease_expires_at_ms INTEGER,
        cancel_requested_at_ms INTEGER
      );
      CREATE TABLE shapes (
        id INTEGER PRIMARY KEY,
        spec TEXT NOT NULL UNIQUE
      );
      CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        plan_hash TEXT NOT NULL,
        body BLOB NOT NULL
      );
      CREATE INDEX plans_by_run ON plans (run_id);
      CREATE TABLE events (
        run_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: "plans.encoding: compact plans",
    // 1: gzipped JSON of the plan (every plan written by version 1); 2: gzipped compact form
    // (codec/plan.ts). A reader of version 1 cannot read the compact form, so it must refuse the file.
    sql: "ALTER TABLE plans ADD COLUMN encoding INTEGER NOT NULL DEFAULT 1;",
  },
  {
    version: 3,
    name: "event_batches: one row per batch of a run's events; plan hash on demand",
    // A row of `events` per event cost an insert (and, on read, a row step) per event: the
    // events a transaction writes for a run are now one row, their bodies comma-joined. The
    // rows of a journal written before are moved over as they are (a batch of one, or of the
    // events of a run that were written at once), and `events` becomes a view of the batches,
    // for queries by hand. The plan's hash is no longer computed while the run goes:
    // `runs.plan_id` names the run's plan and `runs.plan_hash` is filled when first asked for.
    // A reader of version 2 cannot read the batches, so it must refuse the file.
    sql: `
      CREATE TABLE event_batches (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        count INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      INSERT INTO event_batches (run_id, first_seq, count, body)
        SELECT run_id, min(seq), count(*), group_concat(body, ',' ORDER BY seq)
        FROM events GROUP BY run_id, seq / 1000 ORDER BY run_id, min(seq);
      DROP TABLE events;
      CREATE UNIQUE INDEX event_batches_by_run ON event_batches (run_id, first_seq);
      CREATE VIEW events (run_id, seq, body) AS
        SELECT b.run_id, b.first_seq + e.key, e.value
        FROM event_batches b, json_each('[' || b.body || ']') e;
      ALTER TABLE plans DROP COLUMN plan_hash;
      ALTER TABLE runs ADD COLUMN plan_id INTEGER;
    `,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** `PRAGMA application_id` of an Echelon journal ("ECHL"). */
export const APPLICATION_ID = 0x4543484c;

/** What a database holds before migrating. */
export interface SchemaFacts {
  /** Newest applied migration, 0 for none. */
  readonly version: number;
  /** True when the database has tables (of anyone). */
  readonly hasTables: boolean;
  /** True when it has the migrations table (an Echelon journal). */
  readonly isJournal: boolean;
}

/** Reads what the database holds. */
export function schemaFacts(db: Database.Database): SchemaFacts {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const isJournal = tables.includes("schema_migrations");
  const version = isJournal
    ? ((db.prepare("SELECT coalesce(max(version), 0) FROM schema_migrations").pluck().get() as number) ?? 0)
    : 0;
  return { version, hasTables: tables.length > 0, isJournal };
}

/**
 * Applies the migrations the database lacks, each in its own immediate transaction (so two
 * processes opening a new file at once do not both apply one).
 *
 * @returns how many migrations ran
 */
export function migrate(db: Database.Database): number {
  let applied = 0;
  const begin = db.transaction((m: Migration) => {
    const now = schemaFacts(db).version;
    if (now >= m.version) return;
    if (now === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec(m.sql);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)").run(
      m.version,
      m.name,
      Date.now(),
    );
    applied++;
  });
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms INTEGER NOT NULL)",
  );
  for (const m of MIGRATIONS) begin.immediate(m);
  return applied;
}

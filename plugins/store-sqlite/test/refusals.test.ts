import { createHash } from "node:crypto";
import {
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
  closeSync,
} from "node:fs";
import { join } from "node:path";
import { isEchelonError } from "@echelon/core";
import { journalFixture } from "@echelon/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, SqliteErrorCode, SqliteEventStore, type SqliteStoreOptions } from "../src/index.js";
import { tempDb, tempDir } from "./helpers.js";

/** A closed journal holding `runs` runs of `leaves` leaves each (several hundred pages). */
async function journal(path: string, runs = 30, leaves = 40): Promise<void> {
  const store = new SqliteEventStore({ path });
  for (let i = 0; i < runs; i++)
    for (const e of journalFixture(`run-${i}`, { leaves }).events) store.append(e);
  await store.close();
}

function refusal(
  options: SqliteStoreOptions,
  use: (s: SqliteEventStore) => unknown = (s) => s.open(),
): unknown {
  const store = new SqliteEventStore(options);
  try {
    use(store);
  } catch (error) {
    return error;
  } finally {
    void store.close().catch(() => {});
  }
  throw new Error("expected a refusal, got none");
}

/** Overwrites three pages in the middle of the file (event pages, in a journal of many runs). */
function damageMiddle(path: string): void {
  const size = statSync(path).size;
  const fd = openSync(path, "r+");
  writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, Math.floor(size / 2 / 4096) * 4096);
  closeSync(fd);
}

function sha(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

describe("refusals", () => {
  it("refuses a file that is not a database with ECHELON_SQLITE_NOT_A_DATABASE, and leaves it untouched", () => {
    const path = join(tempDir(), "notes.txt");
    writeFileSync(path, "These are my notes, not a journal.\n".repeat(50));
    const before = sha(path);
    const error = refusal({ path });
    expect(isEchelonError(error, SqliteErrorCode.NOT_A_DATABASE)).toBe(true);
    expect((error as Error).message).toContain(path);
    expect(sha(path)).toBe(before);
    const tiny = join(tempDir(), "tiny.db");
    writeFileSync(tiny, "SQLite");
    expect(isEchelonError(refusal({ path: tiny }), SqliteErrorCode.NOT_A_DATABASE)).toBe(true);
  });

  it("refuses a truncated journal with ECHELON_SQLITE_CORRUPT (truncated), before SQLite reads it", async () => {
    const path = tempDb();
    await journal(path);
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size / 2 / 4096) * 4096);
    const error = refusal({ path, verifyOnOpen: "none" });
    expect(isEchelonError(error, SqliteErrorCode.CORRUPT)).toBe(true);
    expect((error as { details: { reason: string } }).details.reason).toMatch(
      /^truncated: the file has \d+ bytes/,
    );
  });

  it('refuses a journal with damaged pages with ECHELON_SQLITE_CORRUPT at open (verifyOnOpen "quick")', async () => {
    const path = tempDb();
    await journal(path);
    damageMiddle(path);
    const error = refusal({ path, verifyOnOpen: "quick" });
    expect(isEchelonError(error, SqliteErrorCode.CORRUPT)).toBe(true);
    expect((error as Error).message).toMatch(/corrupt or truncated .*Restore it from a backup/s);
  });

  it("by default checks the schema and the small tables at open, and the whole file before pruning gives pages back", async () => {
    const damagedEvents = tempDb();
    await journal(damagedEvents);
    damageMiddle(damagedEvents);
    // The damage is in event pages: the file opens; pruning refuses to move its pages.
    const store = new SqliteEventStore({ path: damagedEvents, retention: false });
    try {
      store.open();
      let error: unknown;
      try {
        await store.prune({ keep: 1 });
      } catch (e) {
        error = e;
      }
      expect(isEchelonError(error, SqliteErrorCode.CORRUPT)).toBe(true);
    } finally {
      await store.close().catch(() => {});
    }
    // A damaged `runs` table is refused at open.
    const damagedRuns = tempDb();
    await journal(damagedRuns, 3, 2);
    const raw = new Database(damagedRuns, { readonly: true });
    const page = raw
      .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'runs'")
      .pluck()
      .get() as number;
    raw.close();
    const fd = openSync(damagedRuns, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (page - 1) * 4096);
    closeSync(fd);
    const error = refusal({ path: damagedRuns });
    expect(isEchelonError(error, SqliteErrorCode.CORRUPT)).toBe(true);
  });

  it("without the open check, reading a damaged run fails with ECHELON_SQLITE_CORRUPT", async () => {
    const path = tempDb();
    await journal(path, 1, 2000);
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    // Damage the event pages only: the schema (page 1 and the first pages) stays readable.
    for (let page = 8; page * 4096 < size - 4096; page += 4)
      writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, page * 4096);
    closeSync(fd);
    const store = new SqliteEventStore({ path, verifyOnOpen: "none", retention: false });
    try {
      store.open();
      let error: unknown;
      try {
        store.read("run-0");
      } catch (e) {
        error = e;
      }
      expect(isEchelonError(error, SqliteErrorCode.CORRUPT)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("refuses a journal whose schema is newer than this code with ECHELON_SQLITE_SCHEMA_TOO_NEW, and writes nothing", async () => {
    const path = tempDb();
    await journal(path, 1, 2);
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)")
      .run(SCHEMA_VERSION + 1, "from the future", Date.now());
    raw.close();
    const before = sha(path);
    const error = refusal({ path });
    expect(isEchelonError(error, SqliteErrorCode.SCHEMA_TOO_NEW)).toBe(true);
    expect((error as { details: unknown }).details).toEqual({
      path,
      found: SCHEMA_VERSION + 1,
      supported: SCHEMA_VERSION,
    });
    expect((error as Error).message).toContain("Upgrade @echelon/store-sqlite");
    expect(sha(path)).toBe(before);
  });

  it("refuses another program's SQLite database with ECHELON_SQLITE_FOREIGN_DATABASE", () => {
    const path = tempDb("app.sqlite");
    const raw = new Database(path);
    raw.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada')",
    );
    raw.close();
    expect(isEchelonError(refusal({ path }), SqliteErrorCode.FOREIGN_DATABASE)).toBe(true);
    const check = new Database(path, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual([
      "users",
    ]);
    check.close();
  });

  it("refuses a path it cannot open (a folder) with ECHELON_SQLITE_OPEN_FAILED", () => {
    const path = join(tempDir(), "a-folder");
    mkdirSync(path);
    expect(isEchelonError(refusal({ path }), SqliteErrorCode.OPEN_FAILED)).toBe(true);
  });

  it("refuses bad options at construction with ECHELON_SQLITE_OPTIONS_INVALID naming the option", () => {
    const bad: [SqliteStoreOptions, string][] = [
      [{ synchronous: "extra" as "full" }, "synchronous"],
      [{ batchSize: 0 }, "batchSize"],
      [{ batchSize: 1.5 }, "batchSize"],
      [{ busyTimeoutMs: -1 }, "busyTimeoutMs"],
      [{ path: "  " }, "path"],
      [{ retention: { keep: -2 } }, "retention.keep"],
      [{ verifyOnOpen: "full" as "quick" }, "verifyOnOpen"],
      [{ maxSizeBytes: 10 }, "maxSizeBytes"],
    ];
    for (const [options, option] of bad) {
      let error: unknown;
      try {
        new SqliteEventStore(options);
      } catch (e) {
        error = e;
      }
      expect(isEchelonError(error, SqliteErrorCode.OPTIONS_INVALID), option).toBe(true);
      expect((error as { details: { option: string } }).details.option).toBe(option);
    }
  });

  it("refuses any use after close with ECHELON_SQLITE_CLOSED", async () => {
    const store = new SqliteEventStore({ path: tempDb() });
    store.append(journalFixture("x").events[0]!);
    await store.close();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as { code?: string }).code;
      }
      return "none";
    };
    expect(code(() => store.append(journalFixture("x").events[1]!))).toBe(SqliteErrorCode.CLOSED);
    expect(code(() => store.read("x"))).toBe(SqliteErrorCode.CLOSED);
    await expect(store.commit()).rejects.toMatchObject({ code: SqliteErrorCode.CLOSED });
    await expect(store.summaries()).rejects.toMatchObject({ code: SqliteErrorCode.CLOSED });
  });
});

describe("damaged rows", () => {
  it("reports a batch of events that is not what the store wrote as ECHELON_SQLITE_CORRUPT", async () => {
    const path = tempDb();
    // Batches of 5 events: rows from event 0, 5, 10, …
    const writer = new SqliteEventStore({ path, batchSize: 5 });
    for (const e of journalFixture("run-0", { leaves: 3 }).events) writer.append(e);
    await writer.close();
    for (const damage of [
      "UPDATE event_batches SET body = 'not json' WHERE first_seq = 5",
      "UPDATE event_batches SET body = '[999999,\"x\",1]', count = 1 WHERE first_seq = 5",
      "UPDATE event_batches SET body = '7' WHERE first_seq = 5",
      "UPDATE event_batches SET count = count + 1 WHERE first_seq = 5",
      "DELETE FROM event_batches WHERE first_seq = 5",
      "UPDATE event_batches SET first_seq = 6 WHERE first_seq = 5",
    ]) {
      const copy = tempDb();
      const source = new Database(path, { readonly: true });
      await source.backup(copy);
      source.close();
      const raw = new Database(copy);
      raw.exec(damage);
      raw.close();
      const store = new SqliteEventStore({ path: copy, retention: false });
      let error: unknown;
      try {
        store.read("run-0");
      } catch (e) {
        error = e;
      }
      await store.close();
      expect(isEchelonError(error, SqliteErrorCode.CORRUPT), damage).toBe(true);
    }
  });
});

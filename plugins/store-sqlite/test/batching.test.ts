import { CoreErrorCode, type EchelonEvent, isEchelonError } from "@echelon/core";
import { journalFixture } from "@echelon/testing";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteEventStore } from "../src/index.js";
import { tempDb } from "./helpers.js";

const open: SqliteEventStore[] = [];
function store(options: ConstructorParameters<typeof SqliteEventStore>[0] = {}): SqliteEventStore {
  const s = new SqliteEventStore({ path: tempDb(), ...options });
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
});

/** `count` leaf completions of one run, each with its own output. */
function completions(orchestrationId: string, count: number, outputBytes = 8): EchelonEvent[] {
  return Array.from(
    { length: count },
    (_, i) =>
      ({
        type: "task:completed",
        orchestrationId,
        nodePath: `root/leaf-${i}`,
        ts: 100 + i / 7,
        taskId: `leaf-${i}`,
        kind: "leaf",
        agentId: "a",
        output: { i, pad: "x".repeat(outputBytes) },
        durationMs: 0.5,
        attempts: 1,
      }) as EchelonEvent,
  );
}

function nextTurn(): Promise<void> {
  return new Promise((done) => setImmediate(done));
}

describe("batching", () => {
  it("writes everything appended in one turn of the event loop in one transaction", async () => {
    const s = store();
    for (const e of completions("r", 500)) s.append(e);
    expect(s.stats()).toMatchObject({ transactions: 0, pendingEvents: 500 });
    await s.commit();
    expect(s.stats()).toMatchObject({ transactions: 1, eventsWritten: 500, pendingEvents: 0 });
    for (const e of completions("r2", 10)) s.append(e);
    await nextTurn();
    await nextTurn();
    expect(s.stats()).toMatchObject({ transactions: 2, eventsWritten: 510 });
  });

  it("writes a full batch at once, in the same turn, and the rest on the next", async () => {
    const s = store({ batchSize: 100 });
    for (const e of completions("r", 250)) s.append(e);
    expect(s.stats()).toMatchObject({ transactions: 2, eventsWritten: 200, pendingEvents: 50 });
    await s.commit();
    expect(s.stats()).toMatchObject({ transactions: 3, eventsWritten: 250, pendingEvents: 0 });
  });

  it("serves every commit of one turn with one transaction (group commit)", async () => {
    const s = store();
    const commits: Promise<void>[] = [];
    for (const e of completions("r", 50)) {
      s.append(e);
      commits.push(s.commit());
    }
    await Promise.all(commits);
    expect(s.stats().transactions).toBe(1);
    expect(s.read("r")).toHaveLength(50);
  });
});

describe("write failures", () => {
  it("rejects commit with ECHELON_STORE_WRITE_FAILED (cause SQLITE_BUSY) while another process holds the write lock, then writes the same events once it is free", async () => {
    const s = store({ busyTimeoutMs: 0 });
    s.open();
    const other = new Database(s.path);
    other.exec("BEGIN IMMEDIATE");
    const events = completions("busy", 20);
    for (const e of events) s.append(e);
    const error = await s.commit().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEchelonError(error, CoreErrorCode.STORE_WRITE_FAILED)).toBe(true);
    expect((error as Error & { cause: { code: string } }).cause.code).toBe("SQLITE_BUSY");
    expect((error as Error).message).toMatch(/SQLITE_BUSY.*busyTimeoutMs.*20 event\(s\) are not durable/s);
    expect(s.stats()).toMatchObject({ failedTransactions: 1, pendingEvents: 20, eventsWritten: 0 });
    expect(s.read("busy")).toStrictEqual(events);
    other.exec("COMMIT");
    other.close();
    await s.commit();
    expect(s.stats()).toMatchObject({ pendingEvents: 0, eventsWritten: 20 });
    await s.close();
    const again = new SqliteEventStore({ path: s.path });
    open.push(again);
    expect(again.read("busy")).toStrictEqual(events);
  });

  it("rejects commit with ECHELON_STORE_WRITE_FAILED (cause SQLITE_FULL) past maxSizeBytes", async () => {
    const s = store({ maxSizeBytes: 256 * 1024 });
    for (const e of completions("big", 400, 2000)) s.append(e);
    const error = await s.commit().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEchelonError(error, CoreErrorCode.STORE_WRITE_FAILED)).toBe(true);
    expect((error as Error & { cause: { code: string } }).cause.code).toBe("SQLITE_FULL");
    expect((error as Error).message).toContain("maxSizeBytes");
    expect(s.info().sizeBytes).toBeLessThanOrEqual(256 * 1024);
  });

  it("refuses an event that is not JSON at append, and the next commit reports it", async () => {
    const s = store();
    const bad = { ...completions("r", 1)[0]!, output: { n: 10n } } as unknown as EchelonEvent;
    expect(() => s.append(bad)).toThrow(expect.objectContaining({ code: CoreErrorCode.STORE_WRITE_FAILED }));
    await expect(s.commit()).rejects.toMatchObject({ code: CoreErrorCode.STORE_WRITE_FAILED });
    await expect(s.commit()).resolves.toBeUndefined();
    expect(s.read("r")).toEqual([]);
  });

  it("refuses a claim while another process holds the write lock past busyTimeoutMs", async () => {
    const s = store({ busyTimeoutMs: 0 });
    s.open();
    const other = new Database(s.path);
    other.exec("BEGIN IMMEDIATE");
    try {
      await expect(s.claim("r", "me", 1000)).rejects.toMatchObject({
        code: CoreErrorCode.STORE_WRITE_FAILED,
        details: { sqliteCode: "SQLITE_BUSY" },
      });
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    await expect(s.claim("r", "me", 1000)).resolves.toMatchObject({ owner: "me" });
  });
});

describe("read-your-writes", () => {
  it("reads a run's committed and buffered events in order", async () => {
    const s = store();
    const { events } = journalFixture("mix", { leaves: 3 });
    for (const e of events.slice(0, 5)) s.append(e);
    await s.commit();
    for (const e of events.slice(5)) s.append(e);
    expect(s.stats().pendingEvents).toBe(events.length - 5);
    expect(s.read("mix")).toStrictEqual(events);
  });
});

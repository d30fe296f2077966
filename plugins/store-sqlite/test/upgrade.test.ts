import { gzipSync } from "node:zlib";
import { type EchelonEvent, hashPlan, type Plan } from "@echelon/core";
import Database from "better-sqlite3";
import { createOrchestrator, functionAgent } from "echelon";
import { describe, expect, it } from "vitest";
import { decodeStoredPlan } from "../src/codec/plan.js";
import { SCHEMA_VERSION, SqliteEventStore, sqliteStore } from "../src/index.js";
import { tempDb } from "./helpers.js";

const LEAVES = 20;

function fanout() {
  return {
    id: "fanout",
    description: `${LEAVES} leaves`,
    pattern: "mapreduce",
    patternOptions: { reducer: "sum" },
    children: Array.from({ length: LEAVES }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
  };
}

/** A run's journal as a crash after all but the last leaf leaves it, written to a new file. */
async function crashedRun(path: string): Promise<readonly EchelonEvent[]> {
  const full = new SqliteEventStore({ path: ":memory:" });
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 4],
    agents: [functionAgent({ name: "noop" }, async (work) => work.input)],
    eventStore: full,
  });
  await orchestrator.orchestrateComplexTask(fanout(), { orchestrationId: "run-1" });
  await orchestrator.shutdown();
  const events = full.read("run-1");
  await full.close();
  const last = events.findLastIndex((e) => e.type === "task:completed" && e.kind === "leaf");
  const cut = events
    .slice(0, last)
    .filter((e) => !e.type.startsWith("orchestration:") || e.type === "orchestration:started");
  const store = new SqliteEventStore({ path });
  for (const e of cut) store.append(e);
  await store.close();
  return cut;
}

/**
 * Rewrites a journal as schema version 2 wrote it: a row of `events` per event, the plan's hash
 * in `plans` and `runs`, no `runs.plan_id`.
 */
function downgradeToVersion2(path: string): void {
  const db = new Database(path);
  const events = db.prepare("SELECT run_id, seq, body FROM events ORDER BY run_id, seq").raw().all();
  const plans = db.prepare("SELECT id, body, encoding FROM plans").raw().all() as [number, Buffer, number][];
  db.exec(`
    DROP VIEW events;
    DROP TABLE event_batches;
    CREATE TABLE events (run_id INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
    ALTER TABLE plans ADD COLUMN plan_hash TEXT NOT NULL DEFAULT '';
  `);
  const insert = db.prepare("INSERT INTO events (run_id, seq, body) VALUES (?, ?, ?)");
  for (const row of events) insert.run(...(row as [number, number, string]));
  for (const [id, body, encoding] of plans) {
    const hash = hashPlan(decodeStoredPlan(body, encoding) as Plan);
    db.prepare("UPDATE plans SET plan_hash = ? WHERE id = ?").run(hash, id);
    db.prepare("UPDATE runs SET plan_hash = ? WHERE plan_id = ?").run(hash, id);
  }
  db.exec("ALTER TABLE runs DROP COLUMN plan_id; DELETE FROM schema_migrations WHERE version > 2;");
  db.close();
}

/** Rewrites a journal as schema version 1 wrote it: plans as gzipped JSON, no `plans.encoding`. */
function downgradeToVersion1(path: string): void {
  downgradeToVersion2(path);
  const db = new Database(path);
  const plans = db.prepare("SELECT id, body, encoding FROM plans").all() as {
    id: number;
    body: Buffer;
    encoding: number;
  }[];
  const rewrite = db.prepare("UPDATE plans SET body = ? WHERE id = ?");
  for (const p of plans) rewrite.run(gzipSync(JSON.stringify(decodeStoredPlan(p.body, p.encoding))), p.id);
  db.exec("ALTER TABLE plans DROP COLUMN encoding; DELETE FROM schema_migrations WHERE version > 1;");
  db.close();
}

/** Resumes "run-1" from the journal at `path` with a counting no-op agent. */
async function resumeRun(path: string) {
  let ran = 0;
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 4],
    agents: [
      functionAgent({ name: "noop" }, async (work) => {
        ran++;
        return work.input;
      }),
    ],
    plugins: [sqliteStore({ path })],
  });
  const result = await orchestrator.resume("run-1");
  await orchestrator.shutdown();
  return { result, ran };
}

describe("a journal written by schema version 2", () => {
  it("is migrated on open: its event rows become batches, it reads back the same events, keeps its plan hash and resumes", async () => {
    const path = tempDb();
    const cut = await crashedRun(path);
    downgradeToVersion2(path);
    const old = new Database(path, { readonly: true });
    const hash = old.prepare("SELECT plan_hash FROM runs").pluck().get();
    const rows = old.prepare("SELECT count(*) FROM events").pluck().get();
    old.close();
    expect(rows).toBe(cut.length);

    const reader = new SqliteEventStore({ path });
    expect(reader.read("run-1")).toStrictEqual(JSON.parse(JSON.stringify(cut)));
    expect(reader.info().schemaVersion).toBe(SCHEMA_VERSION);
    expect((await reader.summaries())[0]!.planHash).toBe(hash);
    await reader.close();
    const db = new Database(path, { readonly: true });
    // The old rows were written at once: one batch holds them.
    expect(db.prepare("SELECT first_seq, count FROM event_batches").raw().all()).toEqual([[0, cut.length]]);
    db.close();

    const { result, ran } = await resumeRun(path);
    expect(result.result).toBe((LEAVES * (LEAVES - 1)) / 2);
    expect(ran).toBe(1);
  });
});

describe("a journal written by schema version 1", () => {
  it("is migrated on open, reads back the same events and resumes", async () => {
    const path = tempDb();
    const cut = await crashedRun(path);
    downgradeToVersion1(path);

    const reader = new SqliteEventStore({ path });
    expect(reader.read("run-1")).toStrictEqual(JSON.parse(JSON.stringify(cut)));
    expect(reader.info().schemaVersion).toBe(SCHEMA_VERSION);
    await reader.close();

    const { result, ran } = await resumeRun(path);
    expect(result.state).toBe("completed");
    expect(result.result).toBe((LEAVES * (LEAVES - 1)) / 2);
    expect(ran).toBe(1);

    const db = new Database(path, { readonly: true });
    // The old plan row keeps its encoding; the file is a journal of the current version now.
    expect(db.prepare("SELECT encoding FROM plans").pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(SCHEMA_VERSION);
    db.close();
  });
});

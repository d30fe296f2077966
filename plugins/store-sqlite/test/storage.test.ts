import { statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type EchelonEvent, hashPlan } from "@echelon/core";
import { journalFixture } from "@echelon/testing";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SCHEMA_VERSION, SqliteEventStore } from "../src/index.js";
import { decodeStoredPlan } from "../src/codec/plan.js";
import { tempDb } from "./helpers.js";

/** Writes one fixture run and returns a read-only connection on the file. */
async function written(options: { state?: "completed" | "failed" | "running"; leaves?: number } = {}) {
  const path = tempDb();
  const fixture = journalFixture("run-1", options);
  const store = new SqliteEventStore({ path });
  for (const e of fixture.events) store.append(e);
  await store.close();
  return { path, fixture, db: new Database(path, { readonly: true }) };
}

describe("what is stored", () => {
  it("stores the plan once per run, compressed; its hash is computed when a summary first needs it; no event row repeats it", async () => {
    const { path, fixture, db } = await written();
    const plans = db.prepare("SELECT id, run_id, body, encoding FROM plans").all() as {
      id: number;
      encoding: number;
      body: Buffer;
    }[];
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ encoding: 2 });
    expect(decodeStoredPlan(plans[0]!.body, 2)).toStrictEqual(fixture.plan);
    // The compact form keeps only what the tree does not already say.
    expect(gunzipSync(plans[0]!.body).length).toBeLessThan(JSON.stringify(fixture.plan).length / 2);
    // The run names its plan; the hash is not computed while the run goes.
    expect(db.prepare("SELECT plan_id, plan_hash FROM runs").raw().get()).toEqual([plans[0]!.id, null]);
    const store = new SqliteEventStore({ path, retention: false });
    const [summary] = await store.summaries();
    expect(summary!.planHash).toBe(hashPlan(fixture.plan));
    await store.close();
    // …and saved for the next reader.
    expect(db.prepare("SELECT plan_hash FROM runs").pluck().get()).toBe(hashPlan(fixture.plan));
    const withPlan = db
      .prepare("SELECT count(*) FROM events WHERE body LIKE '%patternOptions%'")
      .pluck()
      .get();
    expect(withPlan).toBe(0);
    db.close();
  });

  it("stores each output once: equal outputs, saga step records, the root's aggregate and the result refer to the first", async () => {
    const { fixture, db } = await written({ leaves: 4 });
    // Outputs appended: 4 leaves (0 and 2 equal), 4 saga steps (equal to their leaves), the root, the result.
    const carriers = fixture.events.filter((e) => "output" in e || e.type === "orchestration:completed");
    expect(carriers).toHaveLength(10);
    const rows = db
      .prepare(
        "SELECT e.seq, e.body, s.spec FROM events e JOIN shapes s ON s.id = json_extract(e.body, '$[0]') ORDER BY seq",
      )
      .raw()
      .all() as [number, string, string][];
    const stored: unknown[] = [];
    const sources: string[] = [];
    for (const [, body, spec] of rows) {
      const values = JSON.parse(body).slice(3);
      const kept = (JSON.parse(spec)[1] as [string, string][]).filter(([, src]) => !"kinst".includes(src));
      kept.forEach(([, src], i) => {
        if (src === "o" || src === "C") stored.push(values[i]);
        if ("oOCR".includes(src)) sources.push(src);
      });
    }
    const [first, second, third, root] = rows
      .filter(([, , spec]) => spec.includes('"task:completed"'))
      .map(([seq]) => seq);
    expect(stored).toStrictEqual([
      { ok: true, lines: [1, 2, 3] },
      { n: 1, ratio: 1 / 3, note: null, "key with space": "∑" },
      { n: 3, ratio: 1, note: null, "key with space": "∑" },
      // The root's output, the array of its steps' outputs: each member refers to the event holding it.
      [
        [0, 0, 0, 0],
        [
          [0, first],
          [1, second],
          [2, first],
          [3, expect.any(Number)],
        ],
      ],
    ]);
    expect(third).toBeGreaterThan(second!);
    expect(root).toBeGreaterThan(third!);
    // 3 outputs stored; 1 composed of them; 5 references (leaf 2 and the 4 saga steps); the result refers to the root's.
    expect(sources.filter((s) => s === "o")).toHaveLength(3);
    expect(sources.filter((s) => s === "C")).toHaveLength(1);
    expect(sources.filter((s) => s === "O")).toHaveLength(5);
    expect(sources.filter((s) => s === "R")).toHaveLength(1);
    db.close();
  });

  it("stores a number, boolean, null or short string output in place, every time; a longer equal string once", async () => {
    const path = tempDb();
    const store = new SqliteEventStore({ path });
    const outputs = [7, 7, true, null, "short", "short", "a longer text", "a longer text"];
    const events = outputs.map((output, i) => ({
      type: "task:completed",
      orchestrationId: "inline",
      nodePath: `r/n${i}`,
      ts: i + 0.5,
      taskId: `n${i}`,
      output,
      durationMs: 1.25,
    }));
    for (const e of events) store.append(e as unknown as EchelonEvent);
    await store.close();
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare(
        "SELECT e.body, s.spec FROM events e JOIN shapes s ON s.id = json_extract(e.body, '$[0]') ORDER BY seq",
      )
      .raw()
      .all() as [string, string][];
    db.close();
    const outputSources = rows.map(
      ([, spec]) => (JSON.parse(spec)[1] as [string, string][]).find(([k]) => k === "output")![1],
    );
    expect(outputSources).toEqual(["v", "v", "v", "v", "v", "v", "o", "O"]);
    expect(rows.map(([body]) => JSON.parse(body)[3])).toEqual([
      7,
      7,
      true,
      null,
      "short",
      "short",
      "a longer text",
      6,
    ]);
    const reader = new SqliteEventStore({ path });
    expect(reader.read("inline")).toStrictEqual(events);
    await reader.close();
  });

  it("keeps a row small: a task's id equal to its path's last id, the run id and the type are not in it", async () => {
    const { db } = await written({ leaves: 2 });
    const row = db
      .prepare(
        "SELECT e.body, s.spec FROM events e JOIN shapes s ON s.id = json_extract(e.body, '$[0]') WHERE s.spec LIKE '[\"task:completed\"%' ORDER BY seq LIMIT 1",
      )
      .raw()
      .get() as [string, string];
    expect(JSON.parse(row[0])).toEqual([
      expect.any(Number),
      "root/step-0",
      expect.any(Number),
      "leaf",
      "agent-1",
      { ok: true, lines: [1, 2, 3] },
      12.345678901,
      1,
    ]);
    expect(JSON.parse(row[1])[1]).toEqual([
      ["type", "k"],
      ["orchestrationId", "i"],
      ["nodePath", "n"],
      ["ts", "s"],
      ["taskId", "t"],
      ["kind", "v"],
      ["agentId", "v"],
      ["output", "o"],
      ["durationMs", "v"],
      ["attempts", "v"],
    ]);
    db.close();
  });

  it("keeps the run's summary in runs: task, state, times, no lease, no cancel request", async () => {
    const { db } = await written({ state: "failed" });
    const run = db.prepare("SELECT * FROM runs").get() as Record<string, unknown>;
    expect(run).toMatchObject({
      orchestration_id: "run-1",
      task_id: "root",
      state: "failed",
      lease_owner: null,
    });
    expect(run.started_at_ms).toEqual(expect.any(Number));
    expect(run.ended_at_ms).toBeGreaterThanOrEqual(run.started_at_ms as number);
    db.close();
  });

  it("versions the schema: migrations table, application id, WAL", async () => {
    const { db } = await written();
    expect(db.prepare("SELECT version FROM schema_migrations").pluck().all()).toEqual(
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
    expect(db.pragma("application_id", { simple: true })).toBe(0x4543484c);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });
});

describe("durability settings", () => {
  it("uses WAL with synchronous NORMAL by default and FULL when asked", async () => {
    const normal = new SqliteEventStore({ path: tempDb() });
    const full = new SqliteEventStore({ path: tempDb(), synchronous: "full" });
    expect(normal.info()).toMatchObject({
      journalMode: "wal",
      synchronous: "normal",
      schemaVersion: SCHEMA_VERSION,
    });
    expect(full.info()).toMatchObject({ journalMode: "wal", synchronous: "full" });
    await normal.close();
    await full.close();
  });
});

describe("retention", () => {
  it("applies retention on open: finished runs past the age or the count go, running ones stay", async () => {
    const path = tempDb();
    const s = new SqliteEventStore({ path });
    for (const [id, state] of [
      ["old", "completed"],
      ["old-running", "running"],
      ["a", "completed"],
      ["b", "failed"],
      ["c", "completed"],
    ] as const)
      for (const e of journalFixture(id, { state, leaves: 1 }).events) s.append(e);
    await s.close();
    const raw = new Database(path);
    const fortyDaysAgo = Date.now() - 40 * 24 * 3600 * 1000;
    raw.prepare("UPDATE runs SET ended_at_ms = ? WHERE orchestration_id LIKE 'old%'").run(fortyDaysAgo);
    raw.close();
    const reopened = new SqliteEventStore({ path });
    expect([...reopened.list()]).toEqual(["old-running", "a", "b", "c"]);
    await reopened.close();
    const counted = new SqliteEventStore({ path, retention: { keep: 1 } });
    expect([...counted.list()]).toEqual(["old-running", "c"]);
    await counted.close();
    const kept = new SqliteEventStore({ path, retention: false });
    expect([...kept.list()]).toEqual(["old-running", "c"]);
    await kept.close();
  });

  it("gives the space of pruned runs back to the file system", async () => {
    const path = tempDb();
    const s = new SqliteEventStore({ path });
    for (let i = 0; i < 20; i++) for (const e of journalFixture(`r${i}`, { leaves: 200 }).events) s.append(e);
    await s.close();
    const before = statSync(path).size;
    const pruning = new SqliteEventStore({ path, retention: false });
    expect(await pruning.prune({ keep: 0 })).toBe(20);
    await pruning.close();
    expect(statSync(path).size).toBeLessThan(before / 4);
  });
});

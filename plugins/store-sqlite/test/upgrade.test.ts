import { gzipSync } from "node:zlib";
import type { EchelonEvent } from "@echelon/core";
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

/** Rewrites a journal as schema version 1 wrote it: plans as gzipped JSON, no `plans.encoding`. */
function downgradeToVersion1(path: string): void {
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

describe("a journal written by schema version 1", () => {
  it("is migrated on open, reads back the same events and resumes", async () => {
    const path = tempDb();
    const cut = await crashedRun(path);
    downgradeToVersion1(path);

    const reader = new SqliteEventStore({ path });
    expect(reader.read("run-1")).toStrictEqual(JSON.parse(JSON.stringify(cut)));
    expect(reader.info().schemaVersion).toBe(SCHEMA_VERSION);
    await reader.close();

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
    expect(result.state).toBe("completed");
    expect(result.result).toBe((LEAVES * (LEAVES - 1)) / 2);
    expect(ran).toBe(1);

    const db = new Database(path, { readonly: true });
    // The old plan row keeps its encoding; the file is a version-2 journal now.
    expect(db.prepare("SELECT encoding FROM plans").pluck().all()).toEqual([1]);
    expect(db.prepare("SELECT max(version) FROM schema_migrations").pluck().get()).toBe(SCHEMA_VERSION);
    db.close();
  });
});

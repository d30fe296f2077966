import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CoreErrorCode, type EchelonEvent, foldRunState, isEchelonError } from "@echelon/core";
import { EVENT_STORE } from "@echelon/core/plugin";
import { createOrchestrator, functionAgent } from "echelon";
import { describe, expect, it } from "vitest";
import {
  DB_ENV_VAR,
  defaultDatabasePath,
  SqliteErrorCode,
  SqliteEventStore,
  sqliteStore,
  VERSION,
} from "../src/index.js";
import { tempDb, tempDir } from "./helpers.js";

const doubler = functionAgent({ id: "doubler", capacity: 4 }, async (work) => Number(work.input) * 2);

describe("sqliteStore()", () => {
  it("binds its store to EVENT_STORE; a run's journal survives the orchestrator and folds to its result", async () => {
    const path = tempDb();
    const plugin = sqliteStore({ path });
    expect(plugin).toMatchObject({ name: "@echelon/store-sqlite", version: VERSION });
    const orchestrator = createOrchestrator({ plugins: [plugin], agents: [doubler] });
    expect(orchestrator.eventStore).toBe(plugin.store);
    const emitted: EchelonEvent[] = [];
    orchestrator.events.onAny((e) => emitted.push(e));
    const result = await orchestrator.orchestrateComplexTask({
      description: "double",
      pattern: "fork-join",
      children: [1, 2, 3].map((n) => ({ id: `n${n}`, description: `double ${n}`, input: n })),
    });
    await orchestrator.shutdown();
    await expect(plugin.store.commit()).rejects.toMatchObject({ code: SqliteErrorCode.CLOSED });

    const reader = new SqliteEventStore({ path });
    const events = reader.read(result.orchestrationId);
    expect(events).toEqual(emitted.filter((e) => e.orchestrationId === result.orchestrationId));
    const state = foldRunState(events);
    expect(state.state).toBe("completed");
    expect(state.result).toEqual(result);
    expect(await reader.summaries()).toMatchObject([
      { orchestrationId: result.orchestrationId, state: "completed" },
    ]);
    await reader.close();
  });

  it("fails the boot with the journal's refusal as the cause", async () => {
    const path = join(tempDir(), "notes.db");
    writeFileSync(path, "not a database, just text ".repeat(20));
    const orchestrator = createOrchestrator({ plugins: [sqliteStore({ path })], agents: [doubler] });
    const error = await orchestrator.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEchelonError(error, CoreErrorCode.PLUGIN_HOOK_FAILED)).toBe(true);
    expect(isEchelonError((error as Error).cause, SqliteErrorCode.NOT_A_DATABASE)).toBe(true);
    await orchestrator.shutdown().catch(() => {});
  });

  it("can be bound by hand with the container token", () => {
    const plugin = sqliteStore({ path: tempDb() });
    const bound: unknown[] = [];
    plugin.register({ bind: (token: unknown, value: unknown) => bound.push(token, value) } as never);
    expect(bound).toEqual([EVENT_STORE, plugin.store]);
  });
});

describe("where the journal lives", () => {
  it("defaults to <cwd>/.echelon/echelon.db, replaced by $ECHELON_DB (relative to cwd); an explicit path wins", () => {
    expect(defaultDatabasePath({}, "/srv/app")).toBe("/srv/app/.echelon/echelon.db");
    expect(defaultDatabasePath({ [DB_ENV_VAR]: "data/runs.db" }, "/srv/app")).toBe("/srv/app/data/runs.db");
    expect(defaultDatabasePath({ [DB_ENV_VAR]: "/var/lib/echelon.db" }, "/srv/app")).toBe(
      "/var/lib/echelon.db",
    );
    const previous = process.env[DB_ENV_VAR];
    const fromEnv = join(tempDir(), "from-env.db");
    process.env[DB_ENV_VAR] = fromEnv;
    try {
      expect(new SqliteEventStore().path).toBe(fromEnv);
      const explicit = tempDb();
      expect(new SqliteEventStore({ path: explicit }).path).toBe(explicit);
    } finally {
      if (previous === undefined) delete process.env[DB_ENV_VAR];
      else process.env[DB_ENV_VAR] = previous;
    }
  });

  it("creates the data folder when it is missing", async () => {
    const path = join(tempDir(), "deep", "er", "journal.db");
    const store = new SqliteEventStore({ path });
    store.open();
    expect(store.info().path).toBe(path);
    await store.close();
  });
});

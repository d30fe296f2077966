import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { runDependencyAudit } from "../src/audit.js";
import { npmLayout, removeTempDirs, tempDir } from "./layouts.js";
import { cleanEnv, runMain } from "./run-main.js";

afterEach(removeTempDirs);

async function journaledRuns(path: string) {
  const store = new SqliteEventStore({ path, retention: false });
  try {
    return await store.summaries();
  } finally {
    await store.close();
  }
}

describe("the audit's journal", () => {
  it("records the run in the SQLite journal at --db: its id and state, readable after the process ended", async () => {
    const root = await npmLayout(await tempDir());
    const db = join(await tempDir(), "audits.db");
    const { code, stdout } = await runMain([
      "--root",
      root,
      "--out",
      join(root, "out"),
      "--db",
      db,
      "--json",
    ]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.journal).toEqual({ path: db, orchestrationId: expect.any(String) });
    const runs = await journaledRuns(db);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      orchestrationId: summary.journal.orchestrationId,
      state: "completed",
      owner: null,
    });
  });

  it("journals to $ECHELON_DB by default and names the journal in the human summary", async () => {
    const root = await npmLayout(await tempDir());
    const db = join(await tempDir(), "from-env.db");
    const { code, stdout } = await runMain(["--root", root, "--out", join(root, "out"), "--quiet"], {
      env: cleanEnv({ ECHELON_DB: db }),
    });
    expect(code).toBe(0);
    const line = stdout.split("\n").find((l) => l.trim().startsWith("journal "));
    expect(line).toMatch(/journal\s+\S+from-env\.db \(echelon status \S+ --db \S+\)/);
    expect(await journaledRuns(db)).toHaveLength(1);
  });

  it("--no-journal writes no journal at all", async () => {
    const root = await npmLayout(await tempDir());
    const db = join(await tempDir(), "never.db");
    const { code, stdout } = await runMain(
      ["--root", root, "--out", join(root, "out"), "--no-journal", "--json"],
      {
        env: cleanEnv({ ECHELON_DB: db }),
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout).journal).toBeNull();
    expect(existsSync(db)).toBe(false);
  });

  it("a journal that is not a database is refused with the store's code, exit 64; nothing is published", async () => {
    const root = await npmLayout(await tempDir());
    const out = join(root, "out");
    const notes = join(root, "notes.txt");
    await writeFile(notes, "not a journal, and it must stay as it is\n");
    const { code, stderr } = await runMain(["--root", root, "--out", out, "--db", notes]);
    expect(code).toBe(64);
    expect(stderr).toMatch(/^error ECHELON_SQLITE_\w+: /m);
    expect(existsSync(join(out, "latest"))).toBe(false);
    expect(await readFile(notes, "utf8")).toBe("not a journal, and it must stay as it is\n");
  });

  it("refuses an empty journal path with ECHELON_AUDIT_OPTIONS_INVALID", async () => {
    await expect(runDependencyAudit({ journal: " " })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_OPTIONS_INVALID",
      details: { option: "journal" },
    });
  });
});

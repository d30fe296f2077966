import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { afterAll, describe, expect, it } from "vitest";

const bin = resolve(import.meta.dirname, "../dist/bin.js");
const fixtures = resolve(import.meta.dirname, "fixtures");
const dir = mkdtempSync(join(tmpdir(), "echelon-cli-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function echelon(...args: string[]): Promise<Run>;
function echelon(options: { env?: NodeJS.ProcessEnv }, ...args: string[]): Promise<Run>;
function echelon(first: string | { env?: NodeJS.ProcessEnv }, ...rest: string[]): Promise<Run> {
  const args = typeof first === "string" ? [first, ...rest] : rest;
  const env = typeof first === "string" ? undefined : first.env;
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: fixtures, env }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      done({ code, signal: error?.signal ?? null, stdout, stderr });
    });
  });
}

/** Starts `echelon run wait.yaml` (a long proof-of-work job) and resolves once it started. */
function startLongRun(db: string, id: string) {
  const child = spawn(
    process.execPath,
    [bin, "run", "wait.yaml", "-a", "./agents.mjs", "--id", id, "--db", db],
    {
      cwd: fixtures,
    },
  );
  let stderr = "";
  const started = new Promise<void>((ready) =>
    child.stderr.on("data", (d) => {
      stderr += d;
      if (stderr.includes("started ")) ready();
    }),
  );
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return { child, started, exited, stderr: () => stderr };
}

/** True once the journal at `db` holds an event of `type` for the run (read by another connection). */
async function journaled(db: string, id: string, type: string): Promise<boolean> {
  if (!existsSync(db)) return false;
  const store = new SqliteEventStore({ path: db, retention: false });
  try {
    return store.read(id).some((e) => e.type === type);
  } finally {
    await store.close();
  }
}

describe("echelon list, status, cancel and prune on the journal", () => {
  it("list and status show a finished run from the journal; cancel says it finished (exit 4); prune removes it", async () => {
    const db = join(dir, "finished.db");
    const run = await echelon("run", "words.yaml", "-a", "./agents.mjs", "--id", "words-1", "--db", db);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`journal: ${db}`);

    const list = await echelon("list", "--db", db);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+TASK\s+STATE\s+STARTED \(UTC\)\s+DURATION\s+OWNER\n/);
    expect(list.stdout).toMatch(/words-1\s+word-count\s+completed\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const json = JSON.parse((await echelon("list", "--db", db, "--json")).stdout);
    expect(json).toMatchObject([
      { orchestrationId: "words-1", taskId: "word-count", state: "completed", owner: null },
    ]);

    const status = await echelon("status", "words-1", "--db", db);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^words-1 \(word-count\): completed 100 % of 4 tasks\n/);
    expect(status.stdout).toContain("4 completed, 0 failed");
    expect(status.stdout).toMatch(/plan\s+sha256:[0-9a-f]{64}/);
    const statusJson = JSON.parse((await echelon("status", "words-1", "--db", db, "--json")).stdout);
    expect(statusJson.status).toMatchObject({ state: "completed", completedTasks: 4, totalTasks: 4 });
    expect(statusJson.result.result).toBe(
      JSON.parse(run.stdout === "" ? "null" : "null") ?? statusJson.result.result,
    );

    const cancel = await echelon("cancel", "words-1", "--db", db);
    expect(cancel.code).toBe(4);
    expect(cancel.stdout).toBe("words-1 already finished (completed); nothing was cancelled\n");

    expect((await echelon("prune", "--older-than", "1h", "--db", db)).stdout).toBe(
      `removed 0 finished runs from ${db}\n`,
    );
    expect((await echelon("prune", "--keep", "0", "--db", db)).stdout).toBe(
      `removed 1 finished run from ${db}\n`,
    );
    const gone = await echelon("status", "words-1", "--db", db);
    expect(gone.code).toBe(64);
    expect(gone.stderr).toContain("ECHELON_ORCHESTRATION_UNKNOWN");
    expect((await echelon("list", "--db", db)).stdout).toBe(`no runs in ${db}\n`);
  });

  it("status works after the process running the run was killed: running, and no live owner", async () => {
    const db = join(dir, "killed.db");
    const long = startLongRun(db, "killed-1");
    await long.started;
    // Events are written one turn of the event loop after they happen: wait until they are.
    while (!(await journaled(db, "killed-1", "task:started"))) await new Promise((r) => setTimeout(r, 20));
    long.child.kill("SIGKILL");
    await long.exited;
    const status = await echelon("status", "killed-1", "--db", db);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^killed-1 \(long\): running 0 % of 1 tasks/);
    expect(status.stdout).toContain("1 running");
    expect(status.stdout).toContain("owner     none: no live process holds it");
    expect((await echelon("list", "--db", db)).stdout).toMatch(
      /killed-1\s+long\s+running .*none \(crashed or stopped\?\)/,
    );
  });

  it("cancel without --url records the request in the journal for the process running it", async () => {
    const db = join(dir, "cancel.db");
    const long = startLongRun(db, "cancel-1");
    await long.started;
    const cancel = await echelon("cancel", "cancel-1", "--db", db);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(/^cancellation of cancel-1 requested; /);
    expect((await echelon("status", "cancel-1", "--db", db)).stdout).toContain("cancel    requested");
    // The owner stops the run on its own once core polls the request; Ctrl-C stops it otherwise.
    const stopped = await Promise.race([
      long.exited,
      new Promise((done) => setTimeout(() => done("running"), 3000)),
    ]);
    if (stopped === "running") long.child.kill("SIGINT");
    expect(await long.exited).toBe(3);
    const summary = JSON.parse((await echelon("list", "--db", db, "--json")).stdout)[0];
    expect(summary).toMatchObject({ orchestrationId: "cancel-1", state: "cancelled", cancelRequested: true });
    expect((await echelon("cancel", "cancel-1", "--db", db)).code).toBe(4);
    expect((await echelon("cancel", "nobody", "--db", db)).code).toBe(64);
  });

  it("--no-journal writes no journal; a journal that is not a database is refused (exit 64)", async () => {
    const none = join(dir, "none.db");
    expect(
      (await echelon("run", "words.yaml", "-a", "./agents.mjs", "--db", none, "--no-journal")).code,
    ).toBe(0);
    expect((await echelon("list", "--db", none)).stderr).toContain("ECHELON_CLI_JOURNAL_NOT_FOUND");
    const text = join(dir, "notes.db");
    writeFileSync(text, "just some notes, not a journal ".repeat(10));
    for (const args of [["list"], ["status", "x"], ["run", "words.yaml", "-a", "./agents.mjs"]]) {
      const r = await echelon(...args, "--db", text);
      expect(r.code).toBe(64);
      expect(r.stderr).toContain("ECHELON_SQLITE_NOT_A_DATABASE");
    }
  });

  it("prune needs --older-than or --keep, and a duration it understands", async () => {
    const r = await echelon("prune", "--db", join(dir, "x.db"));
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("prune needs --older-than");
    const bad = await echelon("prune", "--older-than", "a week");
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain('--older-than "a week" is not a duration');
  });
});

describe("echelon resume", () => {
  it("continues a run whose process was SIGKILLed mid-plan: done steps are not run again", async () => {
    const db = join(dir, "resume.db");
    const log = join(dir, "steps.log");
    const marker = join(dir, "crash-marker");
    writeFileSync(marker, "crash once");
    const env = { ...process.env, ECHELON_TEST_LOG: log, ECHELON_TEST_CRASH_MARKER: marker };
    const args = ["-a", "./crash-once.mjs", "--db", db];
    const crashed = await echelon({ env }, "run", "crash.yaml", "--id", "c-1", ...args);
    expect(crashed.signal).toBe("SIGKILL");
    expect(readFileSync(log, "utf8")).toBe("first\n");
    const before = JSON.parse((await echelon({}, "list", "--db", db, "--json")).stdout);
    expect(before).toMatchObject([{ orchestrationId: "c-1", state: "running" }]);

    const resumed = await echelon({ env }, "resume", "c-1", ...args);
    expect(resumed.stderr).not.toContain("internal error");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout + resumed.stderr).toMatch(/completed c-1/);
    expect(readFileSync(log, "utf8")).toBe("first\nmiddle\nlast\n");
    const after = JSON.parse((await echelon({}, "list", "--db", db, "--json")).stdout);
    expect(after).toMatchObject([{ orchestrationId: "c-1", state: "completed" }]);
    // A finished run resumes to its result without running anything again.
    const again = await echelon({ env }, "resume", "c-1", ...args);
    expect(again.code).toBe(0);
    expect(readFileSync(log, "utf8")).toBe("first\nmiddle\nlast\n");
  });

  it("refuses an unknown id with ECHELON_RESUME_IMPOSSIBLE", async () => {
    const r = await echelon({}, "resume", "nope", "-a", "./agents.mjs", "--db", join(dir, "resume-none.db"));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("ECHELON_RESUME_IMPOSSIBLE");
  });
});

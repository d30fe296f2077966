import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { OrchestrationResult } from "@echelon/core";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/program.js";
import type { ResumeFunction } from "../src/resume-run.js";

const bin = resolve(import.meta.dirname, "../dist/bin.js");
const fixtures = resolve(import.meta.dirname, "fixtures");
const dir = mkdtempSync(join(tmpdir(), "echelon-cli-journal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function echelon(...args: string[]): Promise<Run> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: fixtures }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      done({ code, stdout, stderr });
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
  it("hands the id and --force to orchestrator.resume with the module's agents and the journal, then prints the summary", async () => {
    const db = join(dir, "resume.db");
    const calls: { id: string; force: boolean; store: unknown }[] = [];
    // Stands in for core's orchestrator.resume until it lands: runs one task on the run's id.
    const resume: ResumeFunction = async (orchestrator, id, options): Promise<OrchestrationResult> => {
      calls.push({ id, force: options.force, store: orchestrator.eventStore });
      return orchestrator.orchestrateComplexTask(
        { description: "hash the id", capabilities: ["hash"], input: id },
        { orchestrationId: id, signal: options.signal },
      );
    };
    const out: string[] = [];
    const sink = { write: (s: string) => out.push(s) };
    const io = { stdout: sink, stderr: sink, cwd: fixtures };
    const args = ["resume", "r-1", "-a", resolve(fixtures, "agents.mjs"), "--force", "--db", db];
    const code = await runCli(args, io as never, { resume });
    expect(code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: "r-1", force: true });
    expect(calls[0]!.store).toBeInstanceOf(SqliteEventStore);
    expect((calls[0]!.store as SqliteEventStore).path).toBe(db);
    expect(out.join("")).toMatch(/completed r-1\n/);
    const journaled = JSON.parse((await echelon("list", "--db", db, "--json")).stdout);
    expect(journaled).toMatchObject([{ orchestrationId: "r-1", state: "completed" }]);
    // Without a stand-in, an @echelon/core that cannot resume yet is reported, not crashed on.
    const real = await echelon("resume", "r-1", "-a", "./agents.mjs", "--db", db);
    expect([0, 1, 64, 69]).toContain(real.code);
    expect(real.stderr).not.toContain("internal error");
  });
});

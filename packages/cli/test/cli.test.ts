import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const bin = resolve(import.meta.dirname, "../dist/bin.js");
const fixtures = resolve(import.meta.dirname, "fixtures");
// The runs below journal into a throwaway file, not into fixtures/.echelon (child processes inherit it).
const journalDir = mkdtempSync(join(tmpdir(), "echelon-cli-"));
process.env.ECHELON_DB = join(journalDir, "echelon.db");
afterAll(() => rmSync(journalDir, { recursive: true, force: true }));

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

describe("echelon run", () => {
  it("runs a YAML spec with the agents of a module and prints the measured summary", async () => {
    const r = await echelon("run", "words.yaml", "--agents", "./agents.mjs");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^completed /);
    expect(r.stdout).toMatch(/levels deep\s+2/);
    expect(r.stdout).toMatch(/patterns used\s+mapreduce/);
    expect(r.stdout).toMatch(/tasks\s+4\/4 completed/);
    // Not a TTY: plain progress lines on stderr, no bar escape codes.
    expect(r.stderr).toContain("progress 4/4");
    expect(r.stderr).not.toContain("\u001b[");
  });

  it("prints the whole result as JSON with --json, and nothing else on stdout", async () => {
    const r = await echelon("run", "spec.json", "-a", "./agents.mjs", "--json");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.success).toBe(true);
    expect(result.metadata.patternsUsed).toEqual(["pipeline"]);
    expect(result.result).toMatch(/^[0-9a-f]{12}$/);
    expect(r.stderr).toBe("");
  });

  it("exits 1 when the orchestration fails and 2 when a saga compensated", async () => {
    const failed = await echelon("run", "fail.yaml", "-a", "./agents.mjs", "--quiet");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe("");
    const compensated = await echelon("run", "saga.yaml", "-a", "./agents.mjs");
    expect(compensated.code).toBe(2);
    expect(compensated.stdout).toContain("ECHELON_SAGA_COMPENSATED");
    expect(compensated.stdout).toMatch(/1 compensated/);
  });

  it("exits 3 when interrupted, after cancelling the running agents", async () => {
    const child = spawn(process.execPath, [bin, "run", "wait.yaml", "-a", "./agents.mjs"], { cwd: fixtures });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    let interrupted = false;
    const code = await new Promise<number | null>((done) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        if (!interrupted && stderr.includes("started ")) {
          interrupted = true;
          child.kill("SIGINT");
        }
      });
      child.on("exit", (c) => done(c));
    });
    expect(code).toBe(3);
    expect(stderr).toContain("cancelling");
    expect(stdout).toMatch(/^cancelled .*ECHELON_CANCELLED/);
  });

  it("serves the dashboard with --dashboard", async () => {
    const r = await echelon("run", "spec.json", "-a", "./agents.mjs", "--dashboard");
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe("bad input", () => {
  it("says what to fix, with the code, without a stack trace, and exits 64", async () => {
    const r = await echelon("run", "bad.yaml", "-a", "./agents.mjs");
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("ECHELON_SPEC_INVALID");
    expect(r.stderr).toContain('children[1].dependsOn[0]: unknown task "c"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("prints the stack trace with --verbose", async () => {
    const r = await echelon("run", "bad.yaml", "-a", "./agents.mjs", "--verbose");
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it.each([
    [["run", "agents.mjs"], "ECHELON_SPEC_FORMAT_UNSUPPORTED"],
    [["run", "words.yaml", "-a", "./nope.mjs"], "ECHELON_CLI_AGENTS_MODULE_INVALID"],
    [["run", "words.yaml", "-a", "./words.yaml"], "ECHELON_CLI_AGENTS_MODULE_INVALID"],
    [["orchestrate", "count the words"], "ECHELON_CLI_OPTION_INVALID"],
    [["run", "words.yaml", "--max-depth", "-1"], "--max-depth must be an integer"],
    [["frobnicate"], "unknown command"],
    [["run", "words.yaml", "--dashboard-port", "http"], "--dashboard-port must be an integer"],
    [["status", "x", "--url", "not a url"], "ECHELON_CLI_OPTION_INVALID"],
  ])("%j → exit 64 with %s", async (args, message) => {
    const r = await echelon(...args);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain(message);
  });

  it.each([
    ["plan", "missing.yaml"],
    ["plan", "specs/missing.json"],
    ["plan", "logs/2026/today"],
    ["run", "missing.yaml"],
    ["run", "../nowhere/spec.yml"],
    ["run", "missing-spec"],
    ["orchestrate", "missing.yaml", "-a", "./agents.mjs"],
    ["orchestrate", "./tasks/build", "-a", "./agents.mjs"],
  ])("%s %s: an argument that looks like a path but names no file → exit 64, one line", async (...args) => {
    const r = await echelon(...args);
    expect(r.code).toBe(64);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error ECHELON_CLI_FILE_NOT_FOUND: .+\n$/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(JSON.stringify(args[1]));
    expect(r.stderr).toContain("no such file");
  });

  it("still plans task texts that merely mention files or slashes", async () => {
    for (const text of ["Summarise the input/output of the build", "Parse config.yaml and report errors"]) {
      const r = await echelon("plan", text, "--json");
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).root.description).toBe(text);
    }
  });

  it("status and cancel without --url read the journal, and say so when there is none (exit 64)", async () => {
    for (const command of ["status", "cancel"]) {
      const r = await echelon(command, "abc", "--db", "missing/journal.db");
      expect(r.code).toBe(64);
      expect(r.stderr).toContain("ECHELON_CLI_JOURNAL_NOT_FOUND");
      expect(r.stderr).toContain(resolve(fixtures, "missing/journal.db"));
      expect(existsSync(resolve(fixtures, "missing"))).toBe(false);
    }
  });
});

describe("echelon plan and orchestrate", () => {
  it("prints the decomposition tree of a text", async () => {
    const r = await echelon("plan", "Download the logs, then parse them and summarise the errors");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^plan root \(heuristic\)/);
    expect(r.stdout).toContain("primary · pipeline");
    expect(r.stdout).toContain("└─ ");
  });

  it("shows the inferred capabilities, marking those no loaded agent offers", async () => {
    const text = "Write unit tests for the parser, then document the public API";
    const none = await echelon("plan", text);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain("needs testing (no agent offers)");
    expect(none.stdout).toContain("needs writing (no agent offers), coding (no agent offers)");
    const json = JSON.parse((await echelon("plan", text, "--json")).stdout);
    expect(json.root.children[0].metadata.unofferedCapabilities).toEqual(["testing"]);
    const served = await echelon("plan", text, "--agents", "./generalist.mjs");
    expect(served.code).toBe(0);
    expect(served.stdout).toContain("needs testing]");
    expect(served.stdout).not.toContain("no agent offers");
  });

  it("prints a spec's plan as JSON", async () => {
    const r = await echelon("plan", "words.yaml", "--json");
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.root.pattern).toBe("mapreduce");
    expect(plan.leafCount).toBe(3);
  });

  it("decomposes a text and runs it with the module's agents", async () => {
    const r = await echelon(
      "orchestrate",
      "Download the logs, then parse them and summarise the errors",
      "-a",
      "./generalist.mjs",
      "--json",
    );
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.success).toBe(true);
    expect(result.metadata.planSource).toBe("heuristic");
    expect(result.levelsDeep).toBeGreaterThanOrEqual(2);
  });
});

describe("status and cancel across processes, through a run's dashboard", () => {
  it("reads the live status of another process's run and cancels it", async () => {
    const child = spawn(
      process.execPath,
      [bin, "run", "wait.yaml", "-a", "./agents.mjs", "--dashboard", "--id", "long-run"],
      {
        cwd: fixtures,
      },
    );
    let stderr = "";
    const exited = new Promise<number | null>((done) => child.on("exit", (c) => done(c)));
    const url = await new Promise<string>((done) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        const m = /dashboard: (http:\S+)/.exec(stderr);
        if (m && stderr.includes("started ")) done(m[1]!);
      });
    });
    const status = await echelon("status", "long-run", "--url", url, "--json");
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      id: "long-run",
      taskId: "long",
      state: "running",
      totalTasks: 1,
    });
    const unknown = await echelon("status", "nope", "--url", url);
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("ECHELON_ORCHESTRATION_UNKNOWN");
    const cancel = await echelon("cancel", "long-run", "--url", url);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toBe("cancellation of long-run requested\n");
    expect(await exited).toBe(3);
    const gone = await echelon("status", "long-run", "--url", url);
    expect(gone.code).toBe(69);
    expect(gone.stderr).toContain("No dashboard answers");
  });
});

describe("cancel of a run that already finished", () => {
  it("says it already finished, with its final state, and exits 4", async () => {
    const { startDashboard } = await import("@echelon/monitoring");
    const { createOrchestrator, functionAgent } = await import("echelon");
    const orchestrator = createOrchestrator({
      agents: [functionAgent({ capabilities: ["upper"] }, (work) => String(work.input).toUpperCase())],
    });
    const dashboard = await startDashboard({ orchestrator });
    try {
      const result = await orchestrator.orchestrateComplexTask(
        { description: "shout", input: "quiet", capabilities: ["upper"] },
        { orchestrationId: "short-run" },
      );
      expect(result.result).toBe("QUIET");
      const r = await echelon("cancel", "short-run", "--url", dashboard.url);
      expect(r.code).toBe(4);
      expect(r.stdout).toBe("short-run already finished (completed); nothing was cancelled\n");
      expect(orchestrator.getOrchestrationStatus("short-run").state).toBe("completed");
    } finally {
      await dashboard.close();
      await orchestrator.shutdown();
    }
  });
});

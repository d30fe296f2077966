import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createMonitor, type MonitoredNode } from "@echelon/monitoring";
import {
  createOrchestrator,
  functionAgent,
  loadSpec,
  MemoryEventStore,
  type OrchestrationStatus,
  type TaskSpec,
} from "echelon";
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs, taskCountSum, tempDir } from "./support/fan-out.js";

afterEach(removeTempDirs);

/** Finds the packages of a "lockfile" text at run time: the list exists only after this step. */
const discover = functionAgent({ name: "discover", capabilities: ["discover"] }, (work) => ({
  packages: String(work.input)
    .split("\n")
    .filter((line) => line.includes("@"))
    .map((line) => {
      const [name, version] = line.trim().split("@");
      return { name, version };
    }),
}));
const LOCKFILE = "alpha@1.0.0\nbeta@2.1.0\ngamma@0.3.0\ndelta@4.0.1";

/** An agent whose work is to check a semver string (a real, if small, computation). */
const checker = functionAgent({ name: "checker", capabilities: ["check"], capacity: 4 }, (work) => {
  const [major, minor, patch] = String(work.input).split(".").map(Number);
  return { version: work.input, stable: (major ?? 0) >= 1, next: `${major}.${minor}.${(patch ?? 0) + 1}` };
});

const auditSpec = (each: Partial<TaskSpec> = {}): TaskSpec => ({
  id: "audit",
  description: "audit a lockfile",
  pattern: "pipeline",
  input: LOCKFILE,
  children: [
    { id: "discover", description: "list the packages of the lockfile", capabilities: ["discover"] },
    {
      id: "check",
      description: "check every package",
      pattern: "fork-join",
      patternOptions: { join: "all-settled" },
      expand: {
        items: "packages",
        each: {
          id: "{{item.name}}",
          description: "check {{item.name}}@{{item.version}}",
          input: "{{item.version}}",
          capabilities: ["check"],
          ...each,
        },
      },
    },
  ],
});

describe("added nodes run under the run's own rules", () => {
  it("a paused run starts none of the nodes an expansion adds until it is resumed", async () => {
    const orchestrator = createOrchestrator({ agents: [discover, checker] });
    const started: Record<string, number> = {};
    let resumedAt = Number.POSITIVE_INFINITY;
    let whilePaused: OrchestrationStatus | null = null;
    orchestrator.events.on("task:started", (e) => {
      started[e.nodePath] = e.ts;
    });
    orchestrator.events.on("task:completed", (e) => {
      if (e.nodePath !== "audit/discover") return;
      expect(orchestrator.pauseOrchestration("paused")).toBe(true);
      // Give a dispatch that ignored the pause every chance to show itself, then resume.
      setTimeout(() => {
        whilePaused = orchestrator.getOrchestrationStatus("paused");
        resumedAt = performance.now();
        orchestrator.resumeOrchestration("paused");
      }, 100);
    });
    const result = await orchestrator.orchestrateComplexTask(auditSpec(), { orchestrationId: "paused" });
    expect(result.success).toBe(true);
    const added = ["alpha", "beta", "gamma", "delta"].map((n) => `audit/check/${n}`);
    for (const path of added) expect(started[path]).toBeGreaterThanOrEqual(resumedAt);
    // While paused: the discovery done, the root waiting, the node that expands not expanded
    // (pause holds expansions too), so none of the added nodes exists yet.
    expect(whilePaused).toMatchObject({ state: "paused", runningTasks: 1, completedTasks: 1 });
    expect(whilePaused!.nodes["audit/check"]?.state ?? "pending").toBe("pending");
    expect(whilePaused!.pendingTasks).toBe(1);
    for (const path of added) expect(whilePaused!.nodes[path]?.state ?? "pending").toBe("pending");
    await orchestrator.shutdown();
  });

  it("a template's timeout and retry apply to every node it adds", async () => {
    const attempts: Record<string, number> = {};
    const hangsOnBeta = functionAgent(
      { name: "checker", capabilities: ["check"], capacity: 4 },
      (work, ctx) => {
        attempts[work.taskId] = (attempts[work.taskId] ?? 0) + 1;
        if (work.taskId !== "beta") return String(work.input);
        // A dependency that never answers: only the task's own timeout ends the wait.
        return new Promise((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
        });
      },
    );
    const orchestrator = createOrchestrator({ agents: [discover, hangsOnBeta] });
    const result = await orchestrator.orchestrateComplexTask(
      auditSpec({ timeoutMs: 50, retry: { attempts: 2, backoffMs: 1 } }),
      { orchestrationId: "timeouts" },
    );
    const status = orchestrator.getOrchestrationStatus("timeouts");
    expect(status.nodes["audit/check/beta"]).toMatchObject({
      state: "failed",
      attempts: 2,
      errorCode: "ECHELON_TASK_TIMEOUT",
    });
    expect(attempts).toEqual({ alpha: 1, beta: 2, gamma: 1, delta: 1 });
    expect(status.nodes["audit/check/gamma"]).toMatchObject({ state: "completed", attempts: 1 });
    expect(result.metadata.retries).toBe(1);
    await orchestrator.shutdown();
  });
});

describe("status of a plan that grows", () => {
  it("totals grow by expandedTasks, counts always sum to the total, and progress falls back when the plan grows", async () => {
    const orchestrator = createOrchestrator({ agents: [discover, checker] });
    const totals: number[] = [];
    const progress: Array<{ type: string; progress: number }> = [];
    const mismatches: string[] = [];
    orchestrator.events.onAny((e) => {
      if (e.orchestrationId !== "grow") return;
      const s = orchestrator.getOrchestrationStatus("grow");
      if (taskCountSum(s) !== s.totalTasks) mismatches.push(`${e.type} ${e.nodePath}`);
      if (totals.at(-1) !== s.totalTasks) totals.push(s.totalTasks);
      progress.push({ type: e.type, progress: s.progress });
    });
    const result = await orchestrator.orchestrateComplexTask(auditSpec(), { orchestrationId: "grow" });
    expect(result.success).toBe(true);
    expect(mismatches).toEqual([]);
    // root, discover, check; then the four packages.
    expect(totals).toEqual([3, 7]);
    const status = orchestrator.getOrchestrationStatus("grow");
    expect(status).toMatchObject({ totalTasks: 7, completedTasks: 7, expandedTasks: 4, progress: 100 });
    expect(result.metadata.totalTasks).toBe(7);
    const at = progress.findIndex((p) => p.type === "plan:expanded");
    expect(progress[at]!.progress).toBeLessThan(progress[at - 1]!.progress);
    await orchestrator.shutdown();
  });

  it("the monitor's tree shows the added nodes under the node that made them, with their states", async () => {
    const orchestrator = createOrchestrator({ agents: [discover, checker] });
    const monitor = createMonitor({ orchestrator });
    let before: MonitoredNode | null = null;
    orchestrator.events.on("task:started", (e) => {
      if (e.nodePath === "audit/discover") before = monitor.getOrchestrationStatus("tree").tree;
    });
    await orchestrator.orchestrateComplexTask(auditSpec(), { orchestrationId: "tree" });
    const check = (tree: MonitoredNode | null) => tree?.children.find((c) => c.id === "check");
    expect(check(before)?.children).toEqual([]);
    const after = check(monitor.getOrchestrationStatus("tree").tree)!;
    expect(after.pattern).toBe("fork-join");
    expect(after.children.map((c) => [c.path, c.description, c.depth, c.state])).toEqual([
      ["audit/check/alpha", "check alpha@1.0.0", 2, "completed"],
      ["audit/check/beta", "check beta@2.1.0", 2, "completed"],
      ["audit/check/gamma", "check gamma@0.3.0", 2, "completed"],
      ["audit/check/delta", "check delta@4.0.1", 2, "completed"],
    ]);
    monitor.close();
    await orchestrator.shutdown();
  });
});

describe("a YAML spec with expand", () => {
  it("is loaded by loadSpec, validated, and run: the template fans out over the first stage's answer", async () => {
    const dir = await tempDir("fan-out-yaml-");
    const file = join(dir, "audit.yaml");
    await writeFile(
      file,
      [
        "id: audit",
        "description: audit a lockfile",
        "pattern: pipeline",
        `input: "${LOCKFILE.replaceAll("\n", "\\n")}"`,
        "children:",
        "  - id: discover",
        "    description: list the packages of the lockfile",
        "    capabilities: [discover]",
        "  - id: check",
        "    description: check every package",
        "    pattern: mapreduce",
        "    expand:",
        "      items: packages",
        "      maxChildren: 10",
        "      each:",
        '        id: "{{item.name}}"',
        '        description: "check {{item.name}}@{{item.version}}"',
        '        input: "{{item.version}}"',
        "        capabilities: [check]",
        "",
      ].join("\n"),
    );
    const spec = await loadSpec(file, { maxDepth: 3 });
    expect(spec.children?.[1]?.expand).toMatchObject({ items: "packages", maxChildren: 10 });
    const store = new MemoryEventStore();
    const orchestrator = createOrchestrator({ agents: [discover, checker], eventStore: store });
    const result = await orchestrator.orchestrateComplexTask(spec, { orchestrationId: "yaml" });
    expect(result.success).toBe(true);
    expect(result.result).toEqual([
      { version: "1.0.0", stable: true, next: "1.0.1" },
      { version: "2.1.0", stable: true, next: "2.1.1" },
      { version: "0.3.0", stable: false, next: "0.3.1" },
      { version: "4.0.1", stable: true, next: "4.0.2" },
    ]);
    const expanded = store.read("yaml").filter((e) => e.type === "plan:expanded");
    expect(expanded.map((e) => e.nodePath)).toEqual(["audit/check"]);
    // A broken template in the file is refused before anything runs, with its path.
    await writeFile(file, "description: x\npattern: mapreduce\nexpand:\n  each:\n    id: a\n    bogus: 1\n");
    await expect(loadSpec(file)).rejects.toMatchObject({
      code: "ECHELON_SPEC_INVALID",
      details: { file },
    });
    await orchestrator.shutdown();
  });
});

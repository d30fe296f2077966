import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDependencyAudit } from "../src/audit.js";
import { npmLayout } from "./layouts.js";
import { runMain } from "./run-main.js";

const repoRoot = resolve(import.meta.dirname, "../../..");
const dirs: string[] = [];
async function tempOut(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "audit-test-"));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("dependency audit", () => {
  it("audits a subset of the real node_modules and publishes the report atomically", async () => {
    const outDir = await tempOut();
    const stages: string[] = [];
    const { result, reportDir, packages } = await runDependencyAudit({
      root: repoRoot,
      outDir,
      limit: 12,
      onProgress: (p) => {
        if (p.kind === "stage") stages.push(p.stage);
      },
    });
    expect(result.success).toBe(true);
    expect(packages).toBe(12);
    expect(stages).toEqual(["discover", "analyse", "group", "review", "render", "publish"]);
    // The plan grew by one task per package the discovery found: 17 planned, 12 added.
    expect(result.metadata.totalTasks).toBe(17 + 12);
    expect(result.levelsDeep).toBe(3);
    expect(result.metadata.patternsUsed).toEqual(["pipeline", "mapreduce", "scatter-gather", "saga"]);
    expect(result.agentsUsed).toBeGreaterThan(5);
    expect(reportDir).not.toBeNull();
    expect(await readlink(join(outDir, "latest"))).toBe(reportDir!.split("/").pop());
    expect((await readdir(outDir)).filter((n) => n.startsWith(".tmp-"))).toEqual([]);
    const data = JSON.parse(await readFile(join(reportDir!, "audit.json"), "utf8"));
    expect(data.packages).toHaveLength(12);
    for (const p of data.packages) {
      expect(p.sizeBytes).toBeGreaterThan(0);
      expect(typeof p.licence).toBe("string");
    }
    const html = await readFile(join(reportDir!, "report.html"), "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<svg");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const md = await readFile(join(reportDir!, "report.md"), "utf8");
    expect(md).toContain("# Dependency audit");
    expect(md).toContain(data.packages[0].name);
  });

  it("compensates when validation rejects the report: the temporary output is removed", async () => {
    const outDir = await tempOut();
    const { result, reportDir } = await runDependencyAudit({
      root: repoRoot,
      outDir,
      limit: 3,
      maxReportBytes: 200,
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(result.error?.details).toMatchObject({ failedStep: "validate", compensated: ["write-temp"] });
    expect(reportDir).toBeNull();
    expect(await readdir(outDir)).toEqual([]);
  });

  it("lists a package it cannot read in the report instead of failing the audit", async () => {
    const root = await tempOut();
    const good = join(root, "node_modules", "good");
    const broken = join(root, "node_modules", "broken");
    await mkdir(good, { recursive: true });
    await mkdir(broken, { recursive: true });
    await writeFile(
      join(good, "package.json"),
      JSON.stringify({ name: "good", version: "1.2.3", license: "MIT" }),
    );
    await writeFile(
      join(good, "README.md"),
      "# good\n\nParses orchestration manifests. Orchestration is good for orchestration.\n",
    );
    await writeFile(join(broken, "package.json"), "{ this is not json");
    const outDir = join(root, "out");
    const { result, reportDir, unreadable } = await runDependencyAudit({ root, outDir });
    expect(result.success).toBe(true);
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]!.dir).toBe(broken);
    const data = JSON.parse(await readFile(join(reportDir!, "audit.json"), "utf8"));
    expect(data.packages.map((p: { name: string }) => p.name)).toEqual(["good"]);
    expect(data.packages[0].topTerms[0]).toEqual(["orchestration", 3]);
    expect(await readFile(join(reportDir!, "report.md"), "utf8")).toContain("## Could not analyse");
    expect(await readFile(join(reportDir!, "report.html"), "utf8")).toContain("<h2>Could not analyse</h2>");
  });

  it("counts one leaf slot for the one thread the in-process analysers share: the bound is all agent work", async () => {
    const { result } = await runDependencyAudit({ root: repoRoot, outDir: await tempOut(), limit: 20 });
    const m = result.metadata.metrics;
    expect(result.success).toBe(true);
    expect(m.leafSlots).toBe(1);
    expect(m.peakConcurrency).toBe(1);
    expect(m.lowerBoundMs).toBeCloseTo(m.totalBusyMs, 6);
    expect(result.coordinationOverhead).toBeCloseTo((100 * (m.wallMs - m.totalBusyMs)) / m.wallMs, 6);
  });

  it("runs the package analysers in worker threads with `workers`, finding the same facts", async () => {
    const root = await npmLayout(await tempOut());
    const inProcess = await runDependencyAudit({ root, outDir: join(root, "a") });
    const threaded = await runDependencyAudit({ root, outDir: join(root, "b"), workers: 2 });
    expect(threaded.result.success).toBe(true);
    expect(threaded.result.metadata.metrics.leafSlots).toBe(2);
    const packagesOf = async (dir: string | null) =>
      JSON.parse(await readFile(join(dir!, "audit.json"), "utf8")).packages;
    expect(await packagesOf(threaded.reportDir)).toEqual(await packagesOf(inProcess.reportDir));
  });

  it("applies a licence policy: denied and unknown licences listed, in the outcome and the report", async () => {
    const root = await npmLayout(await tempOut());
    const { result, policy, reportDir } = await runDependencyAudit({
      root,
      outDir: join(root, "out"),
      licencePolicy: { allow: ["MIT", "Apache-2.0"], deny: [] },
    });
    expect(result.success).toBe(true);
    expect(policy).toEqual({
      allow: ["MIT", "Apache-2.0"],
      deny: [],
      denied: [{ name: "c", version: "3.0.0", licence: "GPL-3.0-only", reason: "not allowed: GPL-3.0-only" }],
      unknown: [{ name: "d", version: "0.1.0", licence: "UNKNOWN", reason: "no licence declared" }],
      broken: true,
    });
    const md = await readFile(join(reportDir!, "report.md"), "utf8");
    expect(md).toContain("## Licence policy");
    expect(md).toContain("| c@3.0.0 | GPL-3.0-only | not allowed: GPL-3.0-only |");
    const data = JSON.parse(await readFile(join(reportDir!, "audit.json"), "utf8"));
    expect(data.policy.broken).toBe(true);
  });

  it("under a deny list alone, lists unknown licences without breaking the policy", async () => {
    const root = await npmLayout(await tempOut());
    const { policy } = await runDependencyAudit({
      root,
      outDir: join(root, "out"),
      licencePolicy: { allow: [], deny: ["AGPL-3.0-only"] },
    });
    expect(policy?.denied).toEqual([]);
    expect(policy?.unknown.map((u) => u.name)).toEqual(["d"]);
    expect(policy?.broken).toBe(false);
  });

  it("says in the report what the coordination overhead measures, with the formula", async () => {
    const root = await npmLayout(await tempOut());
    const { reportDir } = await runDependencyAudit({ root, outDir: join(root, "out") });
    for (const file of ["report.md", "report.html"]) {
      const text = await readFile(join(reportDir!, file), "utf8");
      expect(text).toContain("100 × (wall − lower bound) / wall");
      expect(text).toMatch(/one thread|1 thread/);
    }
  });

  it("refuses bad options with a code", async () => {
    await expect(runDependencyAudit({ root: repoRoot, limit: 0 })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_OPTIONS_INVALID",
    });
    await expect(runDependencyAudit({ root: repoRoot, workers: -1 })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_OPTIONS_INVALID",
    });
    await expect(
      runDependencyAudit({ root: repoRoot, licencePolicy: { allow: ["MIT OR ISC"], deny: [] } }),
    ).rejects.toMatchObject({ code: "ECHELON_AUDIT_OPTIONS_INVALID" });
    const empty = await tempOut();
    await expect(runDependencyAudit({ root: empty })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
    });
  });

  it("the built command prints progress on stderr and the measured summary on stdout", async () => {
    const outDir = await tempOut();
    const { code, stdout, stderr } = await runMain(["--root", repoRoot, "--out", outDir, "--limit", "5"]);
    expect(code).toBe(0);
    expect(stderr).toContain("analysed 5/5 packages");
    for (const label of [
      "execution time",
      "agents used",
      "levels deep",
      "patterns used",
      "package analysers",
      "coordination overhead",
      "report",
    ]) {
      expect(stdout).toContain(label);
    }
    expect(stdout).toMatch(/levels deep\s+3/);
    expect(stdout).toMatch(/package analysers\s+in-process, 1 thread \(leaf slots 1\)/);
    expect(stdout).toMatch(
      /coordination overhead \d+\.\d % = 100 × \(wall − lower bound\) \/ wall, wall \d+ ms, lower bound \d+ ms = max\(critical path \d+ ms, agent work \d+ ms \/ 1 slot\)/,
    );
  });
});

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { runDependencyAudit } from "../src/audit.js";

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
    expect(stages).toEqual(["analyse", "group", "review", "render", "publish"]);
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
  });

  it("refuses bad options with a code", async () => {
    await expect(runDependencyAudit({ root: repoRoot, limit: 0 })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_OPTIONS_INVALID",
    });
    const empty = await tempOut();
    await expect(runDependencyAudit({ root: empty })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
    });
  });

  it("the built command prints the measured summary", async () => {
    const outDir = await tempOut();
    const main = resolve(import.meta.dirname, "../dist/main.js");
    const { stdout } = await promisify(execFile)(process.execPath, [
      main,
      "--root",
      repoRoot,
      "--out",
      outDir,
      "--limit",
      "5",
    ]);
    expect(stdout).toContain("analysed 5/5 packages");
    for (const label of [
      "execution time",
      "agents used",
      "levels deep",
      "patterns used",
      "coordination overhead",
      "report",
    ]) {
      expect(stdout).toContain(label);
    }
    expect(stdout).toMatch(/levels deep\s+3/);
  });
});

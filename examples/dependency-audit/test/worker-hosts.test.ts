import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { startLocalRedis } from "@echelon/transport-bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { runDependencyAudit } from "../src/audit.js";
import { npmLayout, removeTempDirs, tempDir } from "./layouts.js";
import { runMain } from "./run-main.js";

afterEach(removeTempDirs);

const repoRoot = resolve(import.meta.dirname, "../../..");

/** The report's Markdown without what differs by design: the date and how the audit ran. */
const reportBody = (markdown: string) =>
  markdown.replace(/^.*Generated.*$/m, "").split("## How this audit ran")[0];

const dataOf = async (dir: string) => {
  const { generatedAt: _generatedAt, ...data } = JSON.parse(await readFile(join(dir, "audit.json"), "utf8"));
  return data;
};

describe("--worker-hosts: the package analysers in worker-host processes over Redis", () => {
  it("publishes the same report as the in-process run, with one leaf slot per host", async () => {
    const root = repoRoot;
    const out = await tempDir();
    const inProcess = await runDependencyAudit({ root, outDir: join(out, "a"), limit: 40 });
    const remote = await runDependencyAudit({ root, outDir: join(out, "b"), limit: 40, workerHosts: 2 });
    expect(remote.result.success).toBe(true);
    expect(remote.workerHosts).toBe(2);
    expect(remote.result.metadata.metrics.leafSlots).toBe(2);
    expect(await dataOf(remote.reportDir!)).toEqual(await dataOf(inProcess.reportDir!));
    const [a, b] = await Promise.all(
      [inProcess, remote].map((r) => readFile(join(r.reportDir!, "report.md"), "utf8")),
    );
    expect(reportBody(b!)).toEqual(reportBody(a!));
    expect(b).toContain("2 worker-host processes, reached over Redis");
  });

  it("uses the Redis given with --redis, and the command prints the same report as without", async () => {
    const redis = await startLocalRedis();
    try {
      const root = await npmLayout(await tempDir());
      const local = await runMain(["--root", root, "--out", join(root, "a"), "--quiet"]);
      const remote = await runMain([
        "--root",
        root,
        "--out",
        join(root, "b"),
        "--quiet",
        "--worker-hosts",
        "2",
        "--redis",
        redis.url,
      ]);
      expect(local.code).toBe(0);
      expect(remote.code).toBe(0);
      expect(remote.stdout).toMatch(
        /package analysers\s+2 worker-host processes over Redis \(leaf slots 2\)/,
      );
      const report = (stdout: string) => /report\s+(\S+report\.html)/.exec(stdout)![1]!;
      const md = (stdout: string) =>
        readFile(resolve(root, report(stdout).replace("report.html", "report.md")), "utf8");
      expect(reportBody(await md(remote.stdout))).toEqual(reportBody(await md(local.stdout)));
    } finally {
      await redis.stop();
    }
  });

  it("refuses --worker-hosts with --workers, and --redis without --worker-hosts (exit 64)", async () => {
    const both = await runMain(["--worker-hosts", "2", "--workers", "2"]);
    expect(both.code).toBe(64);
    expect(both.stderr).toMatch(/^error ECHELON_AUDIT_OPTIONS_INVALID: Choose worker threads/);
    const alone = await runMain(["--redis", "redis://127.0.0.1:6379"]);
    expect(alone.code).toBe(64);
    expect(alone.stderr).toMatch(/add --worker-hosts/);
  });
});

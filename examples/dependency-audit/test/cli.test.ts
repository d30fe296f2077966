import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { npmLayout, pnpmLayout, removeTempDirs, tempDir } from "./layouts.js";
import { cleanEnv, runMain } from "./run-main.js";

afterEach(removeTempDirs);

const exampleDir = resolve(import.meta.dirname, "..");
const repoRoot = resolve(exampleDir, "../..");
const OPTIONS = [
  "--root",
  "--out",
  "--json",
  "--deny",
  "--allow",
  "--limit",
  "--workers",
  "--worker-hosts",
  "--redis",
  "--db",
  "--no-journal",
  "--quiet",
  "--help",
];
const noStackTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe("the audit command line", () => {
  it("--help prints the usage with every option and an example, exit 0", async () => {
    const { code, stdout, stderr } = await runMain(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: echelon-dependency-audit \[options\]/);
    for (const option of OPTIONS) expect(stdout).toContain(option);
    expect(stdout).toContain("npm start -- --root ../my-app --out reports");
    expect(stderr).toBe("");
  });

  it("an unknown option gives a one-line coded reason and the usage, exit 64, no stack trace", async () => {
    const { code, stdout, stderr } = await runMain(["--bogus"]);
    expect(code).toBe(64);
    expect(stdout).toBe("");
    const [first, blank, usage] = stderr.split("\n");
    expect(first).toBe("error ECHELON_AUDIT_USAGE: unknown option '--bogus'");
    expect(blank).toBe("");
    expect(usage).toBe("Usage: echelon-dependency-audit [options]");
    noStackTrace(stderr);
  });

  it.each([
    [["--limit", "0"], "ECHELON_AUDIT_OPTIONS_INVALID", "--limit must be an integer ≥ 1"],
    [["--workers", "two"], "ECHELON_AUDIT_OPTIONS_INVALID", "--workers must be an integer ≥ 0"],
    [["--deny", "GPL3"], "ECHELON_AUDIT_OPTIONS_INVALID", "did you mean GPL-3.0-or-later?"],
    [["--allow", "MIT OR ISC"], "ECHELON_AUDIT_OPTIONS_INVALID", "one licence per entry"],
    [["--root"], "ECHELON_AUDIT_USAGE", "argument missing"],
    [["stray"], "ECHELON_AUDIT_USAGE", "too many arguments"],
  ])("a bad value (%j) is refused with %s, exit 64", async (args, errorCode, reason) => {
    const { code, stderr } = await runMain(args);
    expect(code).toBe(64);
    expect(stderr.split("\n")[0]).toMatch(
      new RegExp(`^error ${errorCode}: .*${reason.replace(/[?()]/g, "\\$&")}`),
    );
    expect(stderr).toContain("Usage: echelon-dependency-audit [options]");
    noStackTrace(stderr);
  });

  it("a folder with nothing installed is refused with a code, exit 64", async () => {
    const { code, stderr } = await runMain(["--root", await tempDir()]);
    expect(code).toBe(64);
    // The discovery is the run's first step: its progress line, then one coded line.
    const [progress, error] = stderr.split("\n");
    expect(progress).toBe("▸ discover");
    expect(error).toMatch(/^error ECHELON_AUDIT_NOTHING_TO_AUDIT: No installed packages under /);
    noStackTrace(stderr);
  });

  it("--json prints only the machine-readable summary on stdout", async () => {
    const root = await pnpmLayout(await tempDir());
    const { code, stdout } = await runMain(["--root", root, "--out", join(root, "out"), "--json"]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      success: true,
      exitCode: 0,
      root,
      packages: { found: 4, audited: 4, unreadable: [] },
      policy: null,
      packageAnalysers: { workers: 0, leafSlots: 1 },
      measured: { state: "completed", levelsDeep: 3, overheadFormula: "100 × (wall − lower bound) / wall" },
    });
    expect(summary.measured.coordinationOverhead).toBeGreaterThanOrEqual(0);
    expect(existsSync(summary.report.html)).toBe(true);
  });

  it("resolves --root and --out against INIT_CWD and prints a report path that opens from there", async () => {
    const user = await tempDir();
    await npmLayout(join(user, "app"));
    // As npm runs it: the process starts in the package folder, INIT_CWD is where the user typed.
    const { code, stdout } = await runMain(["--root", "app", "--out", "reports", "--quiet"], {
      cwd: exampleDir,
      env: cleanEnv({ INIT_CWD: user }),
    });
    expect(code).toBe(0);
    const line = stdout.split("\n").find((l) => l.trim().startsWith("report "));
    const path = /report\s+(\S+)/.exec(line ?? "")?.[1];
    expect(path).toMatch(/^reports\/report-[0-9a-f]{8}\/report\.html$/);
    expect(existsSync(join(user, path!))).toBe(true);
    expect(existsSync(join(exampleDir, "reports"))).toBe(false);
  });

  it("without --root, audits the nearest folder upwards with installed packages", async () => {
    const project = await npmLayout(await tempDir());
    // A workspace package whose node_modules holds only links, like pnpm's: not a project to audit.
    await mkdir(join(project, "packages", "x", "node_modules", ".bin"), { recursive: true });
    const user = join(project, "packages", "x", "src");
    await mkdir(user, { recursive: true });
    const { code, stdout } = await runMain(["--json"], {
      cwd: exampleDir,
      env: cleanEnv({ INIT_CWD: user }),
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ root: project, packages: { found: 4 } });
    expect(existsSync(join(user, "out", "latest"))).toBe(true);
  });

  it("exits 1 when packages break the licence policy, listing them", async () => {
    const root = await npmLayout(await tempDir());
    const { code, stdout, stderr } = await runMain([
      "--root",
      root,
      "--out",
      join(root, "out"),
      "--deny",
      "GPL-3.0-only",
      "--quiet",
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/licence policy\s+Broken: 1 denied, 1 with an unknown licence\./);
    expect(stdout).toMatch(/denied\s+c@3\.0\.0\s+GPL-3\.0-only\s+\(denied: GPL-3\.0-only\)/);
    expect(stdout).toMatch(/unknown\s+d@0\.1\.0\s+UNKNOWN\s+\(no licence declared\)/);
    expect(stderr).toContain("error ECHELON_AUDIT_POLICY_BROKEN: 1 package breaks the licence policy");
  });

  it("exits 0 when the policy holds, still listing licences it could not check", async () => {
    const root = await npmLayout(await tempDir());
    const { code, stdout } = await runMain([
      "--root",
      root,
      "--out",
      join(root, "out"),
      "--deny",
      "AGPL-3.0-only",
      "--json",
    ]);
    expect(code).toBe(0);
    const { policy } = JSON.parse(stdout);
    expect(policy).toMatchObject({ deny: ["AGPL-3.0-only"], denied: [], broken: false });
    expect(policy.unknown.map((u: { name: string }) => u.name)).toEqual(["d"]);
    const md = await readFile(join(JSON.parse(stdout).report.dir, "report.md"), "utf8");
    expect(md).toContain("Passed; 1 with an unknown licence");
  });

  it("Ctrl-C (SIGTERM) cancels the audit: exit 3, nothing published", async () => {
    const out = await tempDir();
    let sent = false;
    const { code, stdout } = await runMain(["--root", repoRoot, "--out", out], {
      onStderr: (text, kill) => {
        if (!sent && text.includes("analysed")) {
          sent = true;
          kill();
        }
      },
    });
    expect(sent).toBe(true);
    expect(code).toBe(3);
    expect(stdout).toContain("Dependency audit FAILED");
    expect(existsSync(join(out, "latest"))).toBe(false);
  });
});

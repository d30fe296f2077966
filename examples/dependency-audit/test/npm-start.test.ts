import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { npmLayout, removeTempDirs, tempDir } from "./layouts.js";
import { cleanEnv, run } from "./run-main.js";

afterEach(removeTempDirs);

const repoRoot = resolve(import.meta.dirname, "../../..");
// As a new user runs it: a fresh npm, not one nested in this test run's npm, pnpm or turbo.
const env = () => {
  const clean = cleanEnv();
  for (const key of Object.keys(clean)) if (key.startsWith("TURBO_")) delete clean[key];
  return clean;
};
const npmStart = (args: readonly string[]) =>
  run("npm", ["start", "--silent", "--", ...args], { cwd: repoRoot, env: env() });

// Slow: each `npm start` installs (frozen lockfile) and builds before it audits.
describe("npm start at the repository root", () => {
  it("passes --help to the audit", { timeout: 300_000 }, async () => {
    const { code, stdout } = await npmStart(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: echelon-dependency-audit \[options\]/);
    expect(stdout).toContain("--deny <spdx-ids>");
  });

  it("audits another project: --root, --out and --json reach the audit", { timeout: 300_000 }, async () => {
    const project = await npmLayout(await tempDir());
    const out = join(project, "reports");
    const { code, stdout, stderr } = await npmStart(["--root", project, "--out", out, "--json"]);
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({ success: true, root: project, packages: { found: 4 } });
    expect(summary.report.dir.startsWith(`${out}/report-`)).toBe(true);
    expect(existsSync(summary.report.html)).toBe(true);
  });
});

import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runDependencyAudit } from "../src/audit.js";
import { findInstalledPackages } from "../src/inventory.js";
import { npmLayout, pnpmLayout, removeTempDirs, tempDir, yarnLayout, yarnPnpLayout } from "./layouts.js";

afterEach(removeTempDirs);

const EXPECTED = ["@scope/b@2.0.0", "a@1.0.0", "c@3.0.0", "d@0.1.0"];

async function namesIn(root: string): Promise<string[]> {
  const found = await findInstalledPackages(root);
  const names = await Promise.all(
    found.map(async (p) => {
      const m = JSON.parse(await readFile(join(p.dir, "package.json"), "utf8")) as {
        name: string;
        version: string;
      };
      return `${m.name}@${m.version}`;
    }),
  );
  return names.sort();
}

describe("finding installed packages", () => {
  it("finds npm's flat layout, nested node_modules included, each package once", async () => {
    const root = await npmLayout(await tempDir());
    expect(await namesIn(root)).toEqual(EXPECTED);
  });

  it("finds Yarn classic's layout (npm's, plus its own files)", async () => {
    const root = await yarnLayout(await tempDir());
    expect(await namesIn(root)).toEqual(EXPECTED);
  });

  it("finds pnpm's .pnpm store once per package and skips its symlinks", async () => {
    const root = await pnpmLayout(await tempDir());
    expect(await namesIn(root)).toEqual(EXPECTED);
    for (const p of await findInstalledPackages(root)) {
      expect(relative(root, p.dir).split("/").slice(0, 2)).toEqual(["node_modules", ".pnpm"]);
    }
  });

  it("keeps the first packages in path order under --limit", async () => {
    const root = await npmLayout(await tempDir());
    const all = await findInstalledPackages(root);
    expect(await findInstalledPackages(root, 2)).toEqual(all.slice(0, 2));
  });
});

describe("auditing each layout", () => {
  for (const [layout, make] of [
    ["npm", npmLayout],
    ["pnpm", pnpmLayout],
    ["yarn", yarnLayout],
  ] as const) {
    it(`audits a ${layout} project: every package with its licence`, async () => {
      const root = await make(await tempDir());
      const { result, reportDir } = await runDependencyAudit({ root, outDir: join(root, "out") });
      expect(result.success).toBe(true);
      const data = JSON.parse(await readFile(join(reportDir!, "audit.json"), "utf8")) as {
        packages: Array<{ name: string; version: string; licence: string }>;
      };
      expect(data.packages.map((p) => [`${p.name}@${p.version}`, p.licence])).toEqual([
        ["@scope/b@2.0.0", "(MIT OR Apache-2.0)"],
        ["a@1.0.0", "MIT"],
        ["c@3.0.0", "GPL-3.0-only"],
        ["d@0.1.0", "UNKNOWN"],
      ]);
    });
  }

  it("explains that Yarn Plug'n'Play installs leave nothing on disk to audit", async () => {
    const root = await yarnPnpLayout(await tempDir());
    await expect(runDependencyAudit({ root })).rejects.toMatchObject({
      code: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
      message: expect.stringContaining("Plug'n'Play"),
    });
  });
});

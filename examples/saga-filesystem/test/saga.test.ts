import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { publishFiles } from "../src/run.js";

const root = resolve(import.meta.dirname, "../../..");
const files = [join(root, "package.json"), join(root, "tsconfig.base.json"), join(root, "biome.json")];
const dirs: string[] = [];
const out = async () => {
  const d = await mkdtemp(join(tmpdir(), "saga-example-"));
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("saga example", () => {
  it("stages, indexes and publishes the files", async () => {
    const outDir = await out();
    const result = await publishFiles({ files, outDir });
    expect(result.success).toBe(true);
    expect(await readdir(outDir)).toEqual(["docs"]);
    const index = JSON.parse(await readFile(join(outDir, "docs", "index.json"), "utf8"));
    expect(index).toHaveLength(3);
  });

  it.each(["index", "publish"] as const)(
    "a forced failure at %s compensates the completed steps in reverse",
    async (failAt) => {
      const outDir = await out();
      const result = await publishFiles({ files, outDir, failAt });
      expect(result.success).toBe(false);
      expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
      const details = result.error?.details as { failedStep: string; compensated: string[] };
      expect(details.failedStep).toBe(failAt);
      expect(details.compensated).toEqual(failAt === "publish" ? ["index", "stage"] : ["stage"]);
      expect(await readdir(outDir)).toEqual([]);
    },
  );

  it("a real failure (the target exists) is compensated the same way", async () => {
    const outDir = await out();
    expect((await publishFiles({ files, outDir })).success).toBe(true);
    const second = await publishFiles({ files, outDir });
    expect(second.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(JSON.stringify(second.error?.cause)).toContain("already exists");
    expect(await readdir(outDir)).toEqual(["docs"]);
  });
});

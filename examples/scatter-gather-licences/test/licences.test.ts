import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { phraseAnalyser, titleAnalyser } from "../src/analysers.js";
import { packagesWithLicence, voteOnLicences } from "../src/run.js";

describe("scatter-gather example", () => {
  it("three analysers vote on real LICENSE files and the majority decides", async () => {
    const dirs = await packagesWithLicence(resolve(import.meta.dirname, "../../.."), 12);
    expect(dirs).toHaveLength(12);
    const { result, verdicts } = await voteOnLicences(dirs);
    expect(result.metadata.patternsUsed).toEqual(["mapreduce", "scatter-gather"]);
    expect(result.levelsDeep).toBe(3);
    for (const v of verdicts) {
      if (v.licence === null) {
        expect(v.error).toContain("ECHELON_SCATTER_GATHER");
        continue;
      }
      const agreeing = Object.values(v.answers).filter((a) => a === v.licence);
      expect(agreeing.length).toBeGreaterThanOrEqual(2);
    }
    expect(verdicts.filter((v) => v.licence !== null).length).toBeGreaterThan(8);
  });

  it("the text analysers recognise licences from their words", async () => {
    const dir = await mkdtemp(join(tmpdir(), "licence-"));
    try {
      await writeFile(
        join(dir, "LICENSE"),
        "ISC License\n\nCopyright (c) someone\n\nPermission to use, copy, modify, and/or distribute this software for any purpose\nwith or without fee is hereby granted, provided that the above copyright notice and this permission notice appear in all copies.\n",
      );
      expect(await titleAnalyser(dir)).toBe("ISC");
      expect(await phraseAnalyser(dir)).toBe("ISC");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

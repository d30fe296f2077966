import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDiagnostics, rangeOf, validateEntries } from "../src/diagnostics.js";
import { availableLanguages, checkTranslations } from "../src/run.js";

const out = await mkdtemp(join(tmpdir(), "pipeline-example-"));
afterAll(() => rm(out, { recursive: true, force: true }));

describe("pipeline example", () => {
  it("parses, validates, transforms and stores two real translation files", async () => {
    expect(await availableLanguages()).toEqual(expect.arrayContaining(["de", "fr"]));
    const result = await checkTranslations(["de", "fr"], out);
    expect(result.success).toBe(true);
    expect(result.metadata.patternsUsed).toEqual(["mapreduce", "pipeline"]);
    expect(result.levelsDeep).toBe(3);
    const stored = result.result as Array<{ language: string; messages: number; path: string }>;
    expect(stored.map((s) => s.language)).toEqual(["de", "fr"]);
    const de = JSON.parse(await readFile(join(out, "de.json"), "utf8"));
    expect(de.messages).toBeGreaterThan(1000);
    expect(de.messages).toBe(stored[0]!.messages);
    const total = Object.values(de.byRange as Record<string, { messages: number }>).reduce(
      (n, r) => n + r.messages,
      0,
    );
    expect(total).toBe(de.messages);
  });

  it("the validator finds placeholder mismatches and the parser rejects bad input", () => {
    const entries = parseDiagnostics(
      JSON.stringify({
        Cannot_find_name_0_2304: "Name {0} nicht gefunden.",
        Type_0_is_not_1_2322: "Typ {0} passt nicht.",
      }),
    );
    expect(entries.map((e) => e.code)).toEqual([2304, 2322]);
    expect(validateEntries(entries)).toEqual([
      { key: "Type_0_is_not_1_2322", problem: "placeholders {0} but the key announces {0,1}" },
    ]);
    expect(rangeOf(2304)).toBe("semantic");
    expect(() => parseDiagnostics("[1, 2]")).toThrow("expected a JSON object");
  });
});

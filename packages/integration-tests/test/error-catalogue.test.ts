import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectErrorCodes, renderErrorCatalogue } from "../src/error-catalogue.js";

const root = join(import.meta.dirname, "..", "..", "..");

describe("error catalogue", () => {
  it("docs/errors.md lists every declared code with its meaning (regenerate with gen:errors)", () => {
    const entries = collectErrorCodes(root);
    expect(entries.length).toBeGreaterThan(40);
    expect(entries.every((e) => e.meaning.length > 10)).toBe(true);
    const docs = readFileSync(join(root, "docs", "errors.md"), "utf8");
    expect(docs).toBe(renderErrorCatalogue(entries));
  });

  it("codes follow ECHELON_<AREA>_<WHAT> (ECHELON_CANCELLED, shared by every area, is the one exception)", () => {
    const odd = collectErrorCodes(root)
      .map((e) => e.code)
      .filter((code) => !/^ECHELON_[A-Z0-9]+_[A-Z0-9_]+$/.test(code));
    expect(odd).toEqual(["ECHELON_CANCELLED"]);
  });
});

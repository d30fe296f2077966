import { describe, expect, it } from "vitest";
import { licenceAnalyser } from "../src/analysers.js";
import type { PackageFacts } from "../src/facts.js";
import { groupPackages } from "../src/group.js";

const facts = (name: string, licence: string): PackageFacts => ({
  name,
  version: "1.0.0",
  scope: "(unscoped)",
  licence,
  sizeBytes: 1000,
  files: 1,
  dependencyCount: 0,
  installScripts: [],
  hints: [],
  topTerms: [],
  readmeBytes: 0,
});

describe("licence analyser", () => {
  it("flags what permissive licences cannot satisfy, reading the expression with an SPDX parser", () => {
    const verdict = licenceAnalyser(
      groupPackages([
        facts("dual", "(MIT OR GPL-3.0-only)"),
        facts("and-copyleft", "(MIT OR Apache-2.0) AND GPL-3.0-only"),
        facts("plain", "ISC"),
        facts("copyleft", "MPL-2.0"),
        facts("missing", "UNKNOWN"),
        facts("prose", "SEE LICENSE IN LICENSE"),
      ]),
    );
    expect(verdict.flagged).toEqual([
      {
        name: "and-copyleft@1.0.0",
        reason: "not permissive: GPL-3.0-only (in (MIT OR Apache-2.0) AND GPL-3.0-only)",
      },
      { name: "copyleft@1.0.0", reason: "not permissive: MPL-2.0" },
      { name: "missing@1.0.0", reason: "no licence declared" },
      { name: "prose@1.0.0", reason: 'not an SPDX expression: "SEE LICENSE IN LICENSE"' },
    ]);
  });
});

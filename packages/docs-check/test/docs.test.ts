import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDocSnippets, documentationFiles, formatProblem } from "../src/index.js";

const workspace = join(import.meta.dirname, "..");
const root = join(workspace, "..", "..");

describe("the repository's documentation", () => {
  it("covers docs/ and every package, plugin and example README", () => {
    const files = documentationFiles(root);
    expect(files).toContain("README.md");
    expect(files).toContain("docs/cli.md");
    expect(files).toContain("docs/patterns/saga.md");
    expect(files).toContain("plugins/agents-llm/README.md");
    expect(files).toContain("examples/custom-pattern/README.md");
    expect(files.some((f) => f.startsWith("docs/api/"))).toBe(false);
  });

  it("has no TypeScript or JavaScript code block that fails to type-check", () => {
    const report = checkDocSnippets({ root, workspace });
    // The problems as `file:line:column CODE message` lines, so a failure reads like a compiler's.
    expect(report.problems.map(formatProblem)).toEqual([]);
    expect(report.checked).toBeGreaterThan(40);
  });
});

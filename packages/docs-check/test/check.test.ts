import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDocSnippets, formatProblem } from "../src/index.js";

const workspace = join(import.meta.dirname, "..");
const repoRoot = join(workspace, "..", "..");
// A scratch repository with its own Markdown; the snippets resolve packages from this package.
const root = mkdtempSync(join(workspace, ".test-docs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function check(files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(root, file, ".."), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return checkDocSnippets({
    root,
    workspace,
    files: Object.keys(files),
    tsconfig: join(repoRoot, "tsconfig.base.json"),
  });
}

describe("checkDocSnippets", () => {
  it("passes snippets that compile, importing the workspace's packages", () => {
    const report = check({
      "docs/good.md": [
        "# Good",
        "",
        "```ts",
        'import { functionAgent, createOrchestrator, type HierarchicalOrchestrator, type TaskSpec } from "echelon";',
        'const spec: TaskSpec = { description: "shout", input: "hi", capabilities: ["upper"] };',
        'const agent = functionAgent({ capabilities: ["upper"] }, (work) => String(work.input).toUpperCase());',
        "const result = await createOrchestrator({ agents: [agent] }).orchestrateComplexTask(spec);",
        "console.log(result.success);",
        "```",
        "",
        "```ts",
        "const result = 1; // same name as above: every block is a module of its own",
        "```",
      ].join("\n"),
    });
    expect(report.problems).toEqual([]);
    expect(report.checked).toBe(2);
  });

  it("reports a failing block with its Markdown file and line", () => {
    const report = check({
      "docs/bad.md": [
        "# Bad", //                                              1
        "", //                                                   2
        "```js", //                                              3
        'import { functionAgent } from "echelon";', //           4
        "export const agents = [", //                            5
        '  functionAgent({ capabilities: ["read"] }, async (work) =>', // 6
        '    readFile(String(work.input), "utf8"),', //          7
        "  ),", //                                               8
        "];", //                                                 9
        "```", //                                               10
        "", //                                                  11
        "```ts", //                                             12
        'import { createOrchestrator } from "echelon";', //     13
        "const o = createOrchestrator();", //                   14
        "const n: number = o.levels;", //                       15
        "```", //                                               16
      ].join("\n"),
      "packages/x/README.md": '```typescript\nimport { nothing } from "@echelon/no-such-package";\n```\n',
    });
    expect(report.problems.map(formatProblem)).toEqual([
      "docs/bad.md:7:5 TS2304 Cannot find name 'readFile'.",
      expect.stringMatching(/^docs\/bad\.md:15:7 TS2322 Type '.*' is not assignable to type 'number'\./),
      expect.stringMatching(
        /^packages\/x\/README\.md:2:25 TS2307 Cannot find module '@echelon\/no-such-package'.*devDependency of @echelon\/docs-check/,
      ),
    ]);
  });

  it("reports a syntax error once, not the errors it cascades into", () => {
    const report = check({ "docs/syntax.md": "```ts\n{ id?, description }\n```\n" });
    expect(report.problems.length).toBeGreaterThan(0);
    expect(
      report.problems.every((p) => p.code === "TS1109" || p.code === "TS1005" || p.code === "TS1128"),
    ).toBe(true);
  });

  it("skips a no-check block with a reason, and reports one without", () => {
    const report = check({
      "docs/skip.md":
        "```ts no-check a fragment of the class above\nmethod() {}\n```\n\n```ts no-check\nx y z\n```\n",
    });
    expect(report.skipped.map((b) => b.skipReason)).toEqual(["a fragment of the class above", ""]);
    expect(report.problems).toEqual([
      expect.objectContaining({ file: "docs/skip.md", line: 5, code: "NO_CHECK_REASON_MISSING" }),
    ]);
  });

  it("refuses an unreadable tsconfig with a coded error", () => {
    expect(() =>
      checkDocSnippets({ root, workspace, files: [], tsconfig: join(root, "missing.json") }),
    ).toThrow(expect.objectContaining({ code: "ECHELON_DOCS_TSCONFIG_UNREADABLE" }));
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** The TypeScript code blocks of a Markdown page. */
function codeBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

describe("documentation snippets", () => {
  it("the README quick start and getting-started are the quickstart example CI runs, verbatim", () => {
    const example = read("examples/quickstart/src/main.ts").trim();
    expect(codeBlocks(read("README.md"))).toContain(example);
    expect(codeBlocks(read("docs/getting-started.md"))).toContain(example);
  });

  it("every package README has a TypeScript snippet", () => {
    const packages = [
      "packages/core",
      "packages/decomposer",
      "packages/distributor",
      "packages/monitoring",
      "packages/adapter-12factor",
      "packages/background",
      "packages/echelon",
      "packages/testing",
      "plugins/patterns-mapreduce",
      "plugins/patterns-pipeline",
      "plugins/patterns-fork-join",
      "plugins/patterns-scatter-gather",
      "plugins/patterns-saga",
      "plugins/agents-worker",
      "plugins/agents-process",
      "plugins/agents-llm",
    ];
    const without = packages.filter((p) => codeBlocks(read(`${p}/README.md`)).length === 0);
    expect(without).toEqual([]);
  });
});

describe("the core README snippet", () => {
  it("compiles and runs as written", async () => {
    const ts = await import("typescript");
    const { execFileSync } = await import("node:child_process");
    const { rmSync, writeFileSync } = await import("node:fs");
    const snippet = codeBlocks(read("packages/core/README.md"))[0]!;
    const js = ts.transpileModule(snippet, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    // Inside the package folder, so `@echelon/core` resolves to the package itself.
    const file = join(root, "packages", "core", `.readme-snippet-${process.pid}.mjs`);
    writeFileSync(file, js);
    try {
      const out = execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 30_000 });
      expect(out).toMatch(/^true \d+ \d+(\.\d)? %/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

import { existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** Folders under `docs/` that hold generated output, not written documentation. */
const GENERATED = new Set(["api", "benchmarks"]);

function markdownUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) found.push(...markdownUnder(path));
    } else if (entry.name.endsWith(".md")) {
      found.push(path);
    }
  }
  return found;
}

/**
 * The Markdown files whose code blocks are checked: every page of `docs/` (except the
 * generated `docs/api` and `docs/benchmarks`), the root README, and the README of every
 * package, plugin and example.
 *
 * @param root - the repository root
 * @returns paths relative to `root`, with `/` separators, sorted
 * @example
 * ```ts
 * documentationFiles(process.cwd()); // ["README.md", "docs/cli.md", …, "plugins/agents-llm/README.md", …]
 * ```
 */
export function documentationFiles(root: string): string[] {
  const files: string[] = [];
  const docs = join(root, "docs");
  if (existsSync(docs)) {
    for (const entry of readdirSync(docs, { withFileTypes: true })) {
      const path = join(docs, entry.name);
      if (entry.isDirectory()) {
        if (!GENERATED.has(entry.name)) files.push(...markdownUnder(path));
      } else if (entry.name.endsWith(".md")) {
        files.push(path);
      }
    }
  }
  if (existsSync(join(root, "README.md"))) files.push(join(root, "README.md"));
  for (const group of ["packages", "plugins", "examples"]) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const readme = join(dir, entry.name, "README.md");
      if (entry.isDirectory() && existsSync(readme)) files.push(readme);
    }
  }
  return files.map((f) => relative(root, f).split(sep).join("/")).sort();
}

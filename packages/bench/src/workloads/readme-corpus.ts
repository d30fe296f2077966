import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root: the nearest folder above this file holding `pnpm-workspace.yaml`.
 *
 * @returns an absolute path
 */
export function repositoryRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "pnpm-workspace.yaml"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

function readmeIn(dir: string): string | null {
  const name = readdirSync(dir).find((f) => /^readme(\.md|\.markdown)?$/i.test(f));
  return name === undefined ? null : path.join(dir, name);
}

/**
 * The README files of the installed packages (one per package in `node_modules/.pnpm`),
 * sorted by path, at most `limit`.
 *
 * @param limit - most files
 * @returns absolute paths
 */
export function readmeFiles(limit: number): string[] {
  const store = path.join(repositoryRoot(), "node_modules", ".pnpm");
  if (!existsSync(store)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(store).sort()) {
    const modules = path.join(store, entry, "node_modules");
    if (!existsSync(modules)) continue;
    for (const name of readdirSync(modules).sort()) {
      const dirs = name.startsWith("@")
        ? readdirSync(path.join(modules, name)).map((n) => path.join(modules, name, n))
        : [path.join(modules, name)];
      for (const dir of dirs) {
        if (lstatSync(dir).isSymbolicLink() || !lstatSync(dir).isDirectory()) continue;
        const file = readmeIn(dir);
        if (file !== null) found.push(file);
      }
    }
  }
  return found.sort().slice(0, limit);
}

/**
 * Reads the README corpus.
 *
 * @param limit - most files
 * @returns the texts, in path order
 */
export function readmeTexts(limit: number): string[] {
  return readmeFiles(limit).map((f) => readFileSync(f, "utf8"));
}

/**
 * The word-count task body: lower-cased words (a letter, then letters or digits) and their counts.
 *
 * @param text - a document
 * @returns counts by word, in first-seen order
 */
export function countWords(text: string): Record<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z][a-z0-9]*/g) ?? [])
    counts.set(word, (counts.get(word) ?? 0) + 1);
  return Object.fromEntries(counts);
}

/**
 * Adds `counts` into `total`.
 *
 * @param total - running totals
 * @param counts - one document's counts
 */
export function addCounts(total: Map<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const word of Object.keys(counts)) total.set(word, (total.get(word) ?? 0) + counts[word]!);
}

/**
 * Counts as sorted `[word, count]` pairs, to compare outputs whatever their key order.
 *
 * @param counts - counts by word
 * @returns sorted pairs
 */
export function canonicalCounts(counts: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(counts).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

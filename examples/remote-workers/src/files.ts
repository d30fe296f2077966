import { readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * The Markdown files under `dir`, sorted, `node_modules` and dot-folders skipped, at most `limit`.
 *
 * @param dir - the folder
 * @param limit - most files
 * @returns absolute paths
 */
export function markdownFiles(dir: string, limit = 200): string[] {
  const out: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (out.length >= limit) return;
      if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "dist") continue;
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) out.push(path);
    }
  };
  walk(dir);
  return out;
}

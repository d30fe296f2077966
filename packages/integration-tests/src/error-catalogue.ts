import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One documented error code. */
export interface CatalogueEntry {
  readonly code: string;
  readonly meaning: string;
  readonly pkg: string;
  readonly file: string;
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/(^|\/)(errors|codes|[a-z-]*-errors)\.ts$/.test(path)) out.push(path);
  }
  return out;
}

/**
 * Collects every `ECHELON_*` code declared in the workspace's error modules
 * (`errors.ts`, `codes.ts`, `*-errors.ts` under each package's `src/`), with the TSDoc line above it.
 *
 * @param root - the repository root
 * @returns entries in package order, codes in declaration order
 */
export function collectErrorCodes(root: string): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  const seen = new Set<string>();
  for (const group of ["packages", "plugins", "examples"]) {
    for (const dir of readdirSync(join(root, group)).sort()) {
      const src = join(root, group, dir, "src");
      let found: string[];
      try {
        found = files(src);
      } catch {
        continue;
      }
      const pkg = JSON.parse(readFileSync(join(root, group, dir, "package.json"), "utf8")).name as string;
      for (const file of found.sort()) {
        const text = readFileSync(file, "utf8");
        const re = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*[A-Z0-9_]+\s*:\s*"(ECHELON_[A-Z0-9_]+)"/g;
        for (const m of text.matchAll(re)) {
          const code = m[2]!;
          if (seen.has(code)) continue;
          seen.add(code);
          const meaning = m[1]!
            .replace(/^\s*\*\s?/gm, "")
            .replace(/\s+/g, " ")
            .trim();
          entries.push({ code, meaning, pkg, file: relative(root, file) });
        }
      }
    }
  }
  return entries;
}

/**
 * Renders `docs/errors.md` from the collected codes.
 *
 * @param entries - from {@link collectErrorCodes}
 * @returns the Markdown page
 */
export function renderErrorCatalogue(entries: readonly CatalogueEntry[]): string {
  const byPkg = new Map<string, CatalogueEntry[]>();
  for (const e of entries) byPkg.set(e.pkg, [...(byPkg.get(e.pkg) ?? []), e]);
  const lines = [
    "# Error codes",
    "",
    "Every failure Echelon reports is an `EchelonError` with a stable `code`, a message that says what",
    "happened and what to do, and structured `details`. Codes are append-only: never renamed, never",
    "reused. This page is generated from the packages' error modules",
    "(`pnpm --filter @echelon/integration-tests gen:errors`); a test fails when it is out of date.",
    "",
    "```ts",
    'import { HierarchicalOrchestrator, isEchelonError } from "@echelon/core";',
    "",
    "const orchestrator = new HierarchicalOrchestrator();",
    'try { await orchestrator.orchestrateComplexTask({ description: "" }); }',
    'catch (e) { if (isEchelonError(e, "ECHELON_SPEC_INVALID")) console.error(e.details.issues); }',
    "```",
    "",
    "Failures during a run (an agent throwing, a timeout, cancellation) do not throw: the",
    "`OrchestrationResult` has `success: false` and `error: { code, message, details }`.",
  ];
  for (const [pkg, list] of byPkg) {
    lines.push("", `## ${pkg}`, "", "| code | meaning |", "|---|---|");
    for (const e of list) lines.push(`| \`${e.code}\` | ${e.meaning.replace(/\|/g, "\\|")} |`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `pnpm bench`: `node dist/main.js [--smoke] [--docs <dir>] [--only <case key prefixes, comma-separated>]`.
 * The full suite writes the repository's `docs/`; `--smoke` writes a temporary folder unless `--docs` is given.
 *
 * @module
 */
import os from "node:os";
import path from "node:path";
import { runBench } from "./run-bench.js";
import { suiteCases } from "./suite.js";

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mode = process.argv.includes("--smoke") ? "smoke" : "full";
const only = argument("--only");
// A smoke run never overwrites the real report unless told where to write.
const docsDir =
  argument("--docs") ?? (mode === "smoke" ? path.join(os.tmpdir(), "echelon-bench-smoke") : undefined);
const started = Date.now();
const log = (message: string): void => {
  process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${message}\n`);
};

runBench({
  mode,
  onProgress: log,
  ...(docsDir !== undefined ? { docsDir } : {}),
  ...(only !== undefined
    ? { cases: suiteCases(mode).filter((c) => only.split(",").some((p) => c.key.startsWith(p))) }
    : {}),
}).then(
  ({ report, files }) => {
    for (const g of report.goals)
      log(`${g.met === null ? "?" : g.met ? "met   " : "MISSED"} ${g.goal}: ${g.measured}`);
    log(`wrote ${files.length} files, e.g. ${files[0] ?? ""}`);
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`bench failed: ${e.code ?? ""} ${e.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

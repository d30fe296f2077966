/**
 * `pnpm bench`: `node dist/main.js [--smoke] [--docs <dir>] [--only <case key prefix>]`.
 *
 * @module
 */
import { runBench } from "./run-bench.js";
import { suiteCases } from "./suite.js";

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const mode = process.argv.includes("--smoke") ? "smoke" : "full";
const only = argument("--only");
const docsDir = argument("--docs");
const started = Date.now();
const log = (message: string): void => {
  process.stderr.write(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${message}\n`);
};

runBench({
  mode,
  onProgress: log,
  ...(docsDir !== undefined ? { docsDir } : {}),
  ...(only !== undefined ? { cases: suiteCases(mode).filter((c) => only.split(",").some((p) => c.key.startsWith(p))) } : {}),
}).then(
  ({ report, files }) => {
    for (const g of report.goals) log(`${g.met === null ? "?" : g.met ? "met   " : "MISSED"} ${g.goal}: ${g.measured}`);
    log(`wrote ${files.length} files, e.g. ${files[0] ?? ""}`);
  },
  (error: unknown) => {
    const e = error as { code?: string; message?: string };
    process.stderr.write(`bench failed: ${e.code ?? ""} ${e.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

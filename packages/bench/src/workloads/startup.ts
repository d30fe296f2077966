import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EchelonError } from "@echelon/core";
import type { Trial, VariantFactory, Workload } from "../child/trial.js";
import { BenchErrorCode } from "../errors.js";

/** The built fresh-process script (`dist/startup/fresh.js`), from `src` or `dist`. */
function freshScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.resolve(here, "..", "..", "dist", "startup", "fresh.js");
}

interface FreshFigures {
  readonly ms: number;
  readonly importMs: number;
  readonly outputs: number;
}

/**
 * Runs `dist/startup/fresh.js <what> <size>` in a new Node process and returns what it
 * measured inside (the process's own start is not counted; `processMs` in the figures is).
 */
function fresh(what: string, size: number): Promise<FreshFigures & { processMs: number }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [freshScript(), what, String(size)], (error, stdout, stderr) => {
      const processMs = performance.now() - start;
      if (error !== null) {
        reject(
          new EchelonError(
            BenchErrorCode.CHILD_FAILED,
            `The fresh process measuring ${what} failed: ${stderr.trim() || error.message}. Build the bench first.`,
            { cause: error, details: { what } },
          ),
        );
        return;
      }
      resolve({ ...(JSON.parse(stdout.trim()) as FreshFigures), processMs });
    });
  });
}

/** A variant timed in a fresh process per iteration: the time is the one measured inside it. */
function inFresh(what: string): VariantFactory {
  return async (size): Promise<Trial> =>
    async () => ({
      run: () => fresh(what, size),
      reportedMs: (output) => (output as FreshFigures).ms,
      finish(output) {
        const figures = output as FreshFigures & { processMs: number };
        return { processMs: figures.processMs, outputs: figures.outputs };
      },
    });
}

/**
 * Start-up as a script or a CLI meets it, each iteration in a new Node process, timed inside it.
 * `import`: the dynamic import of `echelon` (every default plugin) against `p-limit`. `cold`: the
 * import and the first W1 run of `size` no-op leaves (outputs collected in order, cap 100):
 * `raw` (Promise.all), `p-limit`, `echelon` (`createOrchestrator` + `orchestrateComplexTask`).
 */
export const importWorkload: Workload = {
  name: "import",
  variants: { echelon: inFresh("import-echelon"), "p-limit": inFresh("import-p-limit") },
};

/** See {@link importWorkload}: the first run in a fresh process. */
export const coldWorkload: Workload = {
  name: "cold",
  variants: {
    raw: inFresh("cold-raw"),
    "p-limit": inFresh("cold-p-limit"),
    echelon: inFresh("cold-echelon"),
  },
};

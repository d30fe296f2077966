#!/usr/bin/env node
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { isEchelonError } from "echelon";
import { runDependencyAudit } from "./audit.js";

const { values } = parseArgs({
  options: {
    root: { type: "string" },
    out: { type: "string" },
    limit: { type: "string" },
    workers: { type: "string" },
    quiet: { type: "boolean", default: false },
  },
});

const toInt = (v: string | undefined) => (v === undefined ? undefined : Number(v));
let lastPercent = -1;
const started = performance.now();

try {
  const { result, reportDir, packages, unreadable } = await runDependencyAudit({
    ...(values.root ? { root: values.root } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    ...(values.limit ? { limit: toInt(values.limit)! } : {}),
    ...(values.workers ? { workers: toInt(values.workers)! } : {}),
    onProgress: (p) => {
      if (values.quiet) return;
      if (p.kind === "stage") console.log(`▸ ${p.stage}`);
      else {
        const percent = Math.floor((100 * p.done) / p.total / 10) * 10;
        if (percent !== lastPercent) {
          lastPercent = percent;
          console.log(`  analysed ${p.done}/${p.total} packages (${percent}%)`);
        }
      }
    },
  });
  const m = result.metadata;
  console.log("");
  console.log(
    result.success ? "Dependency audit complete" : `Dependency audit FAILED: ${result.errorMessage}`,
  );
  const skipped =
    unreadable.length > 0 ? ` (${unreadable.length} could not be read, listed in the report)` : "";
  console.log(`  packages audited      ${packages - unreadable.length}${skipped}`);
  console.log(
    `  execution time        ${result.executionTime.toFixed(2)} s (process ${((performance.now() - started) / 1000).toFixed(2)} s)`,
  );
  console.log(`  agents used           ${result.agentsUsed}`);
  console.log(`  levels deep           ${result.levelsDeep}`);
  console.log(`  patterns used         ${m.patternsUsed.join(", ")}`);
  console.log(
    `  tasks                 ${m.completedTasks}/${m.totalTasks} completed, ${m.failedTasks} failed, ${m.compensatedTasks} compensated`,
  );
  console.log(
    `  coordination overhead ${result.coordinationOverhead.toFixed(1)} % (lower bound ${m.metrics.lowerBoundMs.toFixed(0)} ms of ${m.metrics.wallMs.toFixed(0)} ms wall)`,
  );
  if (reportDir) {
    console.log(
      `  report                ${relative(process.cwd(), reportDir) || "."}/report.html (and report.md, audit.json)`,
    );
  }
  process.exitCode = result.success ? 0 : 1;
} catch (error) {
  if (isEchelonError(error)) {
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 64;
  } else throw error;
}

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { charts } from "./charts.js";
import { type BenchReport, renderDocument } from "./document.js";

/**
 * Writes `<docs>/benchmarks.md`, `<docs>/benchmarks/results.json` and the SVG charts.
 *
 * @param report - the run
 * @param docsDir - the docs folder
 * @returns the paths written
 */
export function writeReport(report: BenchReport, docsDir: string): string[] {
  const dir = path.join(docsDir, "benchmarks");
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const put = (file: string, text: string): void => {
    writeFileSync(file, text);
    written.push(file);
  };
  put(path.join(docsDir, "benchmarks.md"), renderDocument(report));
  put(path.join(dir, "results.json"), `${JSON.stringify(report, null, 1)}\n`);
  for (const [name, svg] of Object.entries(charts(report.cases, report.goals)))
    put(path.join(dir, name), svg);
  return written;
}

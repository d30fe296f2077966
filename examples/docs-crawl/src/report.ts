import type { CrawlReport } from "./crawl.js";

/**
 * The crawl as the command prints it: the pages read per level, with their title and size,
 * broken links, pages not read, and how the plan grew.
 *
 * @param report - what {@link crawlDocs} found
 * @returns lines to print
 */
export function reportLines(report: CrawlReport): string[] {
  const { result } = report;
  const lines: string[] = [];
  report.levels.forEach((pages, level) => {
    lines.push(`level ${level}: ${pages.length} page${pages.length === 1 ? "" : "s"}`);
    for (const p of pages)
      lines.push(`  ${p.path.padEnd(32)} ${String(p.words).padStart(6)} words  ${p.title ?? ""}`);
  });
  const pages = report.levels.reduce((n, l) => n + l.length, 0);
  lines.push(
    "",
    result.success ? `read ${pages} pages` : `crawl FAILED: ${result.errorMessage}`,
    `  tasks             ${result.metadata.completedTasks}/${result.metadata.totalTasks} completed (the plan started with ${report.levels.length + 1})`,
    `  agents used       ${result.agentsUsed}, levels deep ${result.levelsDeep}`,
    `  not read          ${report.notRead.length === 0 ? "none" : report.notRead.join(", ")}`,
    `  broken links      ${report.broken.length === 0 ? "none" : report.broken.length}`,
  );
  for (const b of report.broken) lines.push(`    ${b.page}:${b.line}  ${b.target}`);
  return lines;
}

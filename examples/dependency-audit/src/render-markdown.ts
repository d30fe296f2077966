import type { AuditDataset, ReviewTally } from "./facts.js";

/** Human-readable bytes (kB, MB), one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Groups sorted by bytes, largest first. */
export function largestGroups(
  groups: AuditDataset["byLicence"],
  n: number,
): Array<[string, { packages: number; bytes: number }]> {
  return Object.entries(groups)
    .sort((a, b) => b[1].bytes - a[1].bytes || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

/**
 * Renders the audit as Markdown: totals, licences, scopes, the packages worth a human look,
 * the largest packages and each package's top README terms.
 *
 * @param data - the grouped dataset
 * @param tally - the analysers' votes
 * @param generatedAt - ISO date shown in the header
 * @param unreadable - packages whose analysis failed
 * @returns the Markdown text
 */
export function renderMarkdown(
  data: AuditDataset,
  tally: ReviewTally,
  generatedAt: string,
  unreadable: ReadonlyArray<{ dir: string; error: string }> = [],
): string {
  const lines: string[] = [];
  lines.push("# Dependency audit", "");
  lines.push(
    `Generated ${generatedAt} — ${data.packages.length} installed packages, ${formatBytes(data.totalBytes)} on disk, ` +
      `${Object.keys(data.byLicence).length} licences, ${Object.keys(data.byScope).length} scopes.`,
    "",
  );
  lines.push(`## Worth a human look (flagged by ≥ ${tally.minVotes} analysers)`, "");
  if (tally.worthALook.length === 0) lines.push("Nothing was flagged by more than one analyser.", "");
  else {
    lines.push("| package | votes | reasons |", "|---|---|---|");
    for (const r of tally.worthALook)
      lines.push(`| ${cell(r.name)} | ${r.votes} | ${cell(r.reasons.join("; "))} |`);
    lines.push("");
  }
  if (unreadable.length > 0) {
    lines.push("## Could not analyse", "", "| folder | error |", "|---|---|");
    for (const u of unreadable) lines.push(`| ${cell(u.dir)} | ${cell(u.error)} |`);
    lines.push("");
  }
  lines.push("## Flags per analyser", "", "| analyser | packages flagged |", "|---|---|");
  for (const [a, n] of Object.entries(tally.flaggedByAnalyser)) lines.push(`| ${a} | ${n} |`);
  lines.push("", "## Licences", "", "| licence | packages | size |", "|---|---|---|");
  for (const [l, t] of largestGroups(data.byLicence, 1000))
    lines.push(`| ${cell(l)} | ${t.packages} | ${formatBytes(t.bytes)} |`);
  lines.push("", "## Scopes", "", "| scope | packages | size |", "|---|---|---|");
  for (const [s, t] of largestGroups(data.byScope, 1000))
    lines.push(`| ${cell(s)} | ${t.packages} | ${formatBytes(t.bytes)} |`);
  lines.push("", "## Largest packages", "", "| package | size | files | dependencies |", "|---|---|---|---|");
  const largest = [...data.packages].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 15);
  for (const p of largest)
    lines.push(
      `| ${cell(`${p.name}@${p.version}`)} | ${formatBytes(p.sizeBytes)} | ${p.files} | ${p.dependencyCount} |`,
    );
  lines.push(
    "",
    "## All packages",
    "",
    "| package | licence | size | deps | hints | top README terms |",
    "|---|---|---|---|---|---|",
  );
  for (const p of data.packages) {
    lines.push(
      `| ${cell(`${p.name}@${p.version}`)} | ${cell(p.licence)} | ${formatBytes(p.sizeBytes)} | ${p.dependencyCount} | ` +
        `${cell(p.hints.join("; "))} | ${cell(p.topTerms.map(([t]) => t).join(", "))} |`,
    );
  }
  lines.push("");
  return lines.join("\n");
}

import type { AuditDataset } from "./facts.js";
import type { PolicyReport } from "./licence-policy.js";
import { measurementNotes, type ReportContent } from "./report-content.js";

/** Human-readable bytes (kB, MB), one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

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
 * Renders the audit as Markdown: totals, the licence policy, the packages worth a human look,
 * licences, scopes, the largest packages, each package's top README terms, and how the audit
 * ran (what its coordination overhead measures).
 *
 * @param content - what the report shows
 * @returns the Markdown text
 */
export function renderMarkdown(content: ReportContent): string {
  const { data, tally, generatedAt, unreadable, policy } = content;
  const lines: string[] = [];
  lines.push("# Dependency audit", "");
  lines.push(
    `Generated ${generatedAt} — ${data.packages.length} installed packages, ${formatBytes(data.totalBytes)} on disk, ` +
      `${Object.keys(data.byLicence).length} licences, ${Object.keys(data.byScope).length} scopes.`,
    "",
  );
  if (policy !== null) lines.push(...policySection(policy));
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
  lines.push("", "## How this audit ran", "");
  for (const paragraph of measurementNotes(content.workers, content.workerHosts)) lines.push(paragraph, "");
  return lines.join("\n");
}

function policySection(policy: PolicyReport): string[] {
  const lists = [
    policy.allow.length > 0 ? `allow ${policy.allow.join(", ")}` : "",
    policy.deny.length > 0 ? `deny ${policy.deny.join(", ")}` : "",
  ].filter(Boolean);
  const lines = ["## Licence policy", "", `Policy: ${lists.join("; ")}. ${policyVerdict(policy)}`, ""];
  const table = (title: string, findings: PolicyReport["denied"]) => {
    if (findings.length === 0) return;
    lines.push(`### ${title}`, "", "| package | licence | reason |", "|---|---|---|");
    for (const f of findings)
      lines.push(`| ${cell(`${f.name}@${f.version}`)} | ${cell(f.licence)} | ${cell(f.reason)} |`);
    lines.push("");
  };
  table("Denied", policy.denied);
  table("Licence unknown", policy.unknown);
  return lines;
}

/**
 * One sentence on the policy's outcome.
 *
 * @param policy - the applied policy
 * @returns e.g. "Broken: 1 denied, 1 with an unknown licence."
 */
export function policyVerdict(policy: PolicyReport): string {
  const unknown = `${policy.unknown.length} with an unknown licence`;
  if (policy.broken) return `Broken: ${policy.denied.length} denied, ${unknown}.`;
  return policy.unknown.length > 0
    ? `Passed; ${unknown} (a deny list alone does not fail them).`
    : "Passed: every licence is allowed.";
}

import type { PolicyReport } from "./licence-policy.js";
import { formatBytes, largestGroups, policyVerdict } from "./render-markdown.js";
import { measurementNotes, type ReportContent } from "./report-content.js";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * An inline SVG horizontal bar chart.
 *
 * @param bars - label and value pairs, drawn in order
 * @param format - how a value is written next to its bar
 * @returns the `<svg>` element
 */
export function barChart(
  bars: ReadonlyArray<readonly [string, number]>,
  format: (v: number) => string,
): string {
  const rowHeight = 22;
  const labelWidth = 180;
  const barWidth = 420;
  const max = Math.max(1, ...bars.map(([, v]) => v));
  const height = bars.length * rowHeight + 10;
  const rows = bars.map(([label, value], i) => {
    const y = 5 + i * rowHeight;
    const w = Math.max(1, Math.round((value / max) * barWidth));
    return (
      `<text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(label.slice(0, 28))}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 6}" fill="#4a7bd0"><title>${escapeHtml(label)}: ${escapeHtml(format(value))}</title></rect>` +
      `<text x="${labelWidth + w + 6}" y="${y + 15}">${escapeHtml(format(value))}</text>`
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="bar chart" width="${labelWidth + barWidth + 90}" height="${height}" font-family="sans-serif" font-size="12">${rows.join("")}</svg>`;
}

/** A table: a header row and body rows of already-escaped cells. */
function table(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, empty = ""): string {
  const head = `<tr>${headers.map((h) => `<th>${h}</th>`).join("")}</tr>`;
  const body =
    rows.length === 0 && empty !== ""
      ? `<tr><td colspan="${headers.length}">${empty}</td></tr>`
      : rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("");
  return `<table>${head}${body}</table>`;
}

function policySection(policy: PolicyReport): string {
  const lists = [
    policy.allow.length > 0 ? `allow ${policy.allow.join(", ")}` : "",
    policy.deny.length > 0 ? `deny ${policy.deny.join(", ")}` : "",
  ].filter(Boolean);
  const findings = (title: string, list: PolicyReport["denied"]) =>
    list.length === 0
      ? ""
      : `<h3>${title}</h3>${table(
          ["package", "licence", "reason"],
          list.map((f) => [
            escapeHtml(`${f.name}@${f.version}`),
            escapeHtml(f.licence),
            escapeHtml(f.reason),
          ]),
        )}`;
  return (
    `<h2>Licence policy</h2><p>Policy: ${escapeHtml(lists.join("; "))}. ${escapeHtml(policyVerdict(policy))}</p>` +
    findings("Denied", policy.denied) +
    findings("Licence unknown", policy.unknown)
  );
}

/**
 * Renders the audit as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external resources), with the same sections as the Markdown report.
 *
 * @param content - what the report shows
 * @returns the HTML document
 */
export function renderHtml(content: ReportContent): string {
  const { data, tally, generatedAt, unreadable, policy } = content;
  const chart = barChart(
    largestGroups(data.byLicence, 10).map(([l, t]) => [l, t.bytes] as const),
    formatBytes,
  );
  const looks = table(
    ["package", "votes", "reasons"],
    tally.worthALook.map((r) => [escapeHtml(r.name), String(r.votes), escapeHtml(r.reasons.join("; "))]),
    "Nothing was flagged by more than one analyser.",
  );
  const rows = data.packages.map((p) => [
    escapeHtml(`${p.name}@${p.version}`),
    escapeHtml(p.licence),
    formatBytes(p.sizeBytes),
    String(p.dependencyCount),
    escapeHtml(p.hints.join("; ")),
    escapeHtml(p.topTerms.map(([t]) => t).join(", ")),
  ]);
  const failed =
    unreadable.length === 0
      ? ""
      : `<h2>Could not analyse</h2>${table(
          ["folder", "error"],
          unreadable.map((u) => [escapeHtml(u.dir), escapeHtml(u.error)]),
        )}`;
  const notes = measurementNotes(content.workers, content.workerHosts)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dependency audit</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f3f8}</style></head>
<body><h1>Dependency audit</h1>
<p>Generated ${escapeHtml(generatedAt)} — ${data.packages.length} installed packages, ${formatBytes(data.totalBytes)} on disk.</p>
${policy === null ? "" : policySection(policy)}
<h2>Size on disk by licence</h2>
${chart}
<h2>Worth a human look (flagged by ≥ ${tally.minVotes} analysers)</h2>
${looks}
${failed}
<h2>All packages</h2>
${table(["package", "licence", "size", "deps", "hints", "top README terms"], rows)}
<h2>How this audit ran</h2>
${notes}
</body></html>
`;
}

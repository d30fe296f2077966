import type { AuditDataset, ReviewTally } from "./facts.js";
import { formatBytes, largestGroups } from "./render-markdown.js";

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

/**
 * Renders the audit as one self-contained HTML page (inline CSS and SVG, no scripts, no
 * external resources).
 *
 * @param data - the grouped dataset
 * @param tally - the analysers' votes
 * @param generatedAt - ISO date shown in the header
 * @param unreadable - packages whose analysis failed
 * @returns the HTML document
 */
export function renderHtml(
  data: AuditDataset,
  tally: ReviewTally,
  generatedAt: string,
  unreadable: ReadonlyArray<{ dir: string; error: string }> = [],
): string {
  const chart = barChart(
    largestGroups(data.byLicence, 10).map(([l, t]) => [l, t.bytes] as const),
    formatBytes,
  );
  const looks = tally.worthALook
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.name)}</td><td>${r.votes}</td><td>${escapeHtml(r.reasons.join("; "))}</td></tr>`,
    )
    .join("");
  const rows = data.packages
    .map(
      (p) =>
        `<tr><td>${escapeHtml(`${p.name}@${p.version}`)}</td><td>${escapeHtml(p.licence)}</td><td>${formatBytes(p.sizeBytes)}</td>` +
        `<td>${p.dependencyCount}</td><td>${escapeHtml(p.hints.join("; "))}</td><td>${escapeHtml(p.topTerms.map(([t]) => t).join(", "))}</td></tr>`,
    )
    .join("");
  const failed =
    unreadable.length === 0
      ? ""
      : `<h2>Could not analyse</h2><table><tr><th>folder</th><th>error</th></tr>${unreadable
          .map((u) => `<tr><td>${escapeHtml(u.dir)}</td><td>${escapeHtml(u.error)}</td></tr>`)
          .join("")}</table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dependency audit</title>
<style>body{font-family:sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin-bottom:2rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;font-size:.9rem}th{background:#f0f3f8}</style></head>
<body><h1>Dependency audit</h1>
<p>Generated ${escapeHtml(generatedAt)} — ${data.packages.length} installed packages, ${formatBytes(data.totalBytes)} on disk.</p>
<h2>Size on disk by licence</h2>
${chart}
<h2>Worth a human look (flagged by ≥ ${tally.minVotes} analysers)</h2>
<table><tr><th>package</th><th>votes</th><th>reasons</th></tr>${looks || '<tr><td colspan="3">Nothing was flagged by more than one analyser.</td></tr>'}</table>
${failed}
<h2>All packages</h2>
<table><tr><th>package</th><th>licence</th><th>size</th><th>deps</th><th>hints</th><th>top README terms</th></tr>${rows}</table>
</body></html>
`;
}

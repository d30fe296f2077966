import type { AnalyserVerdict, AuditDataset, PackageFacts } from "./facts.js";
import { checkLicence, type LicencePolicy } from "./licence-policy.js";

/** Licences the licence analyser treats as permissive (SPDX ids). */
export const PERMISSIVE_LICENCES: ReadonlySet<string> = new Set([
  "MIT",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "0BSD",
  "BlueOak-1.0.0",
  "CC0-1.0",
  "Unlicense",
  "CC-BY-4.0",
  "Python-2.0",
  "MIT-0",
  "Zlib",
]);

const label = (p: PackageFacts) => `${p.name}@${p.version}`;

/** The policy the licence analyser votes with: only the permissive licences are allowed. */
const PERMISSIVE_POLICY: LicencePolicy = { allow: [...PERMISSIVE_LICENCES], deny: [] };

/**
 * Flags licences that are missing, not SPDX expressions, or that the permissive licences cannot
 * satisfy (`MIT OR GPL-3.0-only` passes, `(MIT OR ISC) AND GPL-3.0-only` does not).
 */
export function licenceAnalyser(data: AuditDataset): AnalyserVerdict {
  const flagged = data.packages.flatMap((p) => {
    const check = checkLicence(p.licence, PERMISSIVE_POLICY);
    if (check.status === "allowed") return [];
    const why = check.reason.replace("not allowed", "not permissive");
    const compound = check.status === "denied" && /\s/.test(p.licence.trim());
    const reason = compound ? `${why} (in ${p.licence})` : why;
    return [{ name: label(p), reason }];
  });
  return { analyser: "licence", flagged };
}

/** Flags packages whose size is an outlier: log-size more than two standard deviations above the mean. */
export function sizeAnalyser(data: AuditDataset): AnalyserVerdict {
  const logs = data.packages.map((p) => Math.log10(Math.max(1, p.sizeBytes)));
  const mean = logs.reduce((s, x) => s + x, 0) / Math.max(1, logs.length);
  const sd = Math.sqrt(logs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, logs.length));
  const flagged = data.packages.flatMap((p, i) => {
    const z = sd === 0 ? 0 : (logs[i]! - mean) / sd;
    return z > 2
      ? [{ name: label(p), reason: `${(p.sizeBytes / 1e6).toFixed(1)} MB on disk (z=${z.toFixed(1)})` }]
      : [];
  });
  return { analyser: "size", flagged };
}

/** Flags packages with two or more maintenance hints. */
export function maintenanceAnalyser(data: AuditDataset): AnalyserVerdict {
  const flagged = data.packages.flatMap((p) =>
    p.hints.length >= 2 ? [{ name: label(p), reason: p.hints.join("; ") }] : [],
  );
  return { analyser: "maintenance", flagged };
}

/** Flags install scripts and a dependency fan-out in the top 5% (at least 10 dependencies). */
export function supplyChainAnalyser(data: AuditDataset): AnalyserVerdict {
  const counts = data.packages.map((p) => p.dependencyCount).sort((a, b) => a - b);
  const p95 = counts[Math.max(0, Math.ceil(0.95 * counts.length) - 1)] ?? 0;
  const threshold = Math.max(10, p95);
  const flagged = data.packages.flatMap((p) => {
    const reasons: string[] = [];
    if (p.installScripts.length > 0) reasons.push(`install scripts: ${p.installScripts.join(", ")}`);
    if (p.dependencyCount >= threshold) reasons.push(`${p.dependencyCount} dependencies`);
    return reasons.length > 0 ? [{ name: label(p), reason: reasons.join("; ") }] : [];
  });
  return { analyser: "supply-chain", flagged };
}

/** The analysers by capability name. */
export const ANALYSERS: Readonly<Record<string, (data: AuditDataset) => AnalyserVerdict>> = {
  "review:licence": licenceAnalyser,
  "review:size": sizeAnalyser,
  "review:maintenance": maintenanceAnalyser,
  "review:supply-chain": supplyChainAnalyser,
};

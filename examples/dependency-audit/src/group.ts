import type { AuditDataset, GroupTotals, PackageFacts } from "./facts.js";

function add(groups: Record<string, GroupTotals>, key: string, bytes: number): void {
  const prev = Object.hasOwn(groups, key) ? groups[key]! : { packages: 0, bytes: 0 };
  groups[key] = { packages: prev.packages + 1, bytes: prev.bytes + bytes };
}

/**
 * Groups package facts by licence and by scope, with totals.
 *
 * @param packages - facts from the map stage
 * @returns the dataset, packages sorted by name
 */
export function groupPackages(packages: readonly PackageFacts[]): AuditDataset {
  const byLicence: Record<string, GroupTotals> = Object.create(null);
  const byScope: Record<string, GroupTotals> = Object.create(null);
  let totalBytes = 0;
  for (const p of packages) {
    add(byLicence, p.licence, p.sizeBytes);
    add(byScope, p.scope, p.sizeBytes);
    totalBytes += p.sizeBytes;
  }
  const sorted = [...packages].sort((a, b) =>
    a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1,
  );
  return { packages: sorted, byLicence: { ...byLicence }, byScope: { ...byScope }, totalBytes };
}

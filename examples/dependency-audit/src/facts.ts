/** The licence recorded for a package that declares none. */
export const NO_LICENCE = "UNKNOWN";

/** What the audit learns about one installed package. JSON. */
export interface PackageFacts {
  /** Package name from its package.json. */
  readonly name: string;
  readonly version: string;
  /** `@scope` for scoped packages, `(unscoped)` otherwise. */
  readonly scope: string;
  /** SPDX expression or licence text from package.json; `UNKNOWN` when none is declared. */
  readonly licence: string;
  /** Apparent size of its files on disk (nested node_modules excluded), bytes. */
  readonly sizeBytes: number;
  /** Number of files counted in `sizeBytes`. */
  readonly files: number;
  /** Runtime dependencies declared (`dependencies` + `optionalDependencies`). */
  readonly dependencyCount: number;
  /** Lifecycle scripts run on install (`preinstall`, `install`, `postinstall`). */
  readonly installScripts: readonly string[];
  /** Observations a maintainer would want to know (no repository, no README, …). */
  readonly hints: readonly string[];
  /** Most frequent meaningful words of the README, with counts. */
  readonly topTerms: ReadonlyArray<readonly [string, number]>;
  /** Size of the README in bytes (0 when there is none). */
  readonly readmeBytes: number;
}

/** Totals of one group (a licence or a scope). */
export interface GroupTotals {
  readonly packages: number;
  readonly bytes: number;
}

/** The dataset the later stages work on. */
export interface AuditDataset {
  readonly packages: readonly PackageFacts[];
  readonly byLicence: Readonly<Record<string, GroupTotals>>;
  readonly byScope: Readonly<Record<string, GroupTotals>>;
  readonly totalBytes: number;
}

/** One analyser's verdict on the packages it thinks are worth a look. */
export interface AnalyserVerdict {
  readonly analyser: string;
  readonly flagged: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
}

/** The tally of the analysers' votes. */
export interface ReviewTally {
  /** Packages flagged by at least `minVotes` analysers, most votes first. */
  readonly worthALook: ReadonlyArray<{
    readonly name: string;
    readonly votes: number;
    readonly reasons: readonly string[];
  }>;
  /** Packages flagged by fewer analysers. */
  readonly singleVotes: ReadonlyArray<{
    readonly name: string;
    readonly votes: number;
    readonly reasons: readonly string[];
  }>;
  /** How many packages each analyser flagged. */
  readonly flaggedByAnalyser: Readonly<Record<string, number>>;
  readonly minVotes: number;
}

import { resolve } from "node:path";
import { defaultDatabasePath } from "@echelon/store-sqlite";
import { EchelonError } from "echelon";
import { AuditErrorCode } from "./errors.js";
import { type LicencePolicy, parseLicenceList } from "./licence-policy.js";

/** Options of `runDependencyAudit`. */
export interface AuditOptions {
  /** Project folder whose `node_modules` is audited. Default: the current directory. */
  readonly root?: string;
  /** Where the report is published. Default `./out` (relative to the current directory). */
  readonly outDir?: string;
  /** Audit at most this many packages (stable subset). Default: all. */
  readonly limit?: number;
  /**
   * Worker threads for the package analysers. Default 0: they run in-process, one package at a
   * time on the main thread (the fastest on small machines; see the README's measurements).
   */
  readonly workers?: number;
  /**
   * Worker-host processes for the package analysers, over Redis (BullMQ). Default 0. Exclusive
   * with `workers`.
   */
  readonly workerHosts?: number;
  /** Redis URL the worker hosts meet at. Default: a throw-away local `redis-server` (needs one installed). */
  readonly redis?: string;
  /**
   * The SQLite journal the run is recorded in, so that `echelon list` and `echelon status <id>`
   * show it after the process ended. Default: `$ECHELON_DB`, else `.echelon/echelon.db` under the
   * current directory (relative paths are resolved against it). `false`: no journal, the run
   * lives in memory only.
   */
  readonly journal?: string | false;
  /** Votes that make a package worth a human look. Default 2. */
  readonly minVotes?: number;
  /** Largest report file accepted by validation, bytes. Default 20 MB. */
  readonly maxReportBytes?: number;
  /** SPDX ids to allow and deny; the outcome says which packages break it. Default: none. */
  readonly licencePolicy?: Partial<LicencePolicy>;
  /** Told when a package is analysed and when a stage starts. */
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Cancels the audit. */
  readonly signal?: AbortSignal;
}

/** A progress notification. */
export interface AuditProgress {
  /** `stage` when a stage starts, `package` when a package was analysed. */
  readonly kind: "stage" | "package";
  /** Stage id (discover, analyse, group, review, render, publish). */
  readonly stage: string;
  /** Packages analysed so far. */
  readonly done: number;
  /** Packages found (0 until the discover stage has answered). */
  readonly total: number;
}

/** {@link AuditOptions} checked, with their defaults. */
export interface ResolvedAuditOptions {
  readonly root: string;
  readonly outDir: string;
  readonly limit: number | undefined;
  readonly workers: number;
  readonly workerHosts: number;
  readonly redis: string | undefined;
  /** Absolute path of the journal, or `null` for none. */
  readonly journal: string | null;
  readonly minVotes: number;
  readonly maxReportBytes: number;
  readonly licencePolicy: LicencePolicy | null;
}

function integer(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new EchelonError(
      AuditErrorCode.INVALID_OPTIONS,
      `${name} must be an integer ≥ ${min}, got ${String(value)}.`,
      { details: { option: name } },
    );
  }
  return value;
}

function policyOf(policy: Partial<LicencePolicy> | undefined): LicencePolicy | null {
  const check = (list: readonly string[] | undefined, name: string) =>
    list === undefined || list.length === 0 ? [] : parseLicenceList(list.join(","), name);
  const allow = check(policy?.allow, "licencePolicy.allow");
  const deny = check(policy?.deny, "licencePolicy.deny");
  return allow.length === 0 && deny.length === 0 ? null : { allow, deny };
}

function journalOf(journal: string | false | undefined): string | null {
  if (journal === false) return null;
  if (journal === undefined) return defaultDatabasePath(process.env, process.cwd());
  if (typeof journal !== "string" || journal.trim() === "") {
    throw new EchelonError(
      AuditErrorCode.INVALID_OPTIONS,
      `journal must be a file path or false, got ${JSON.stringify(journal)}.`,
      { details: { option: "journal" } },
    );
  }
  return resolve(journal);
}

/**
 * Checks the options and fills in the defaults; relative folders are resolved against the
 * current directory.
 *
 * @param options - as given
 * @returns the options to run with
 * @throws EchelonError `ECHELON_AUDIT_OPTIONS_INVALID`
 */
export function resolveAuditOptions(options: AuditOptions): ResolvedAuditOptions {
  const workers = integer("workers", options.workers, 0, 0);
  const workerHosts = integer("workerHosts", options.workerHosts, 0, 0);
  if (workers > 0 && workerHosts > 0) {
    throw new EchelonError(
      AuditErrorCode.INVALID_OPTIONS,
      "Choose worker threads (--workers) or worker-host processes over Redis (--worker-hosts), not both.",
      { details: { option: "workerHosts" } },
    );
  }
  if (options.redis !== undefined && workerHosts === 0) {
    throw new EchelonError(
      AuditErrorCode.INVALID_OPTIONS,
      "--redis names the Redis of the worker hosts; add --worker-hosts <n>.",
      { details: { option: "redis" } },
    );
  }
  return {
    root: resolve(options.root ?? process.cwd()),
    outDir: resolve(options.outDir ?? "out"),
    limit: options.limit === undefined ? undefined : integer("limit", options.limit, 1),
    workers,
    workerHosts,
    redis: options.redis,
    journal: journalOf(options.journal),
    minVotes: integer("minVotes", options.minVotes, 2),
    maxReportBytes: integer("maxReportBytes", options.maxReportBytes, 20_000_000),
    licencePolicy: policyOf(options.licencePolicy),
  };
}

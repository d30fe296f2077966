/** Error codes of the dependency-audit example. Append-only; listed in docs/errors.md. */
export const AuditErrorCode = {
  /** An option is out of range or malformed (limit, workers, votes, report size, an `--allow`/`--deny` entry that is not one SPDX licence id). Exit 64. */
  INVALID_OPTIONS: "ECHELON_AUDIT_OPTIONS_INVALID",
  /** The folder has no installed packages to audit (the message says when it is a Yarn Plug'n'Play install). Exit 64. */
  NOTHING_TO_AUDIT: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
  /** The command line cannot be parsed: unknown option, missing value, extra argument. Exit 64, with the usage. */
  USAGE: "ECHELON_AUDIT_USAGE",
  /** Packages break the licence policy given with `--allow`/`--deny`; they are listed. Exit 1. */
  POLICY_BROKEN: "ECHELON_AUDIT_POLICY_BROKEN",
} as const;

/** Error codes of the dependency-audit example. Append-only; listed in docs/errors.md. */
export const AuditErrorCode = {
  /** An option is out of range or malformed (limit, workers, votes, report size, a licence list). */
  INVALID_OPTIONS: "ECHELON_AUDIT_OPTIONS_INVALID",
  /** The folder has no installed packages to audit. */
  NOTHING_TO_AUDIT: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
  /** The command line cannot be parsed: unknown option, missing value, extra argument. */
  USAGE: "ECHELON_AUDIT_USAGE",
  /** Packages break the licence policy given with `--allow` / `--deny` (exit 1). */
  POLICY_BROKEN: "ECHELON_AUDIT_POLICY_BROKEN",
} as const;

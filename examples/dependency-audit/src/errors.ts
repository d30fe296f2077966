/** Error codes of the dependency-audit example. */
export const AuditErrorCode = {
  /** An option is out of range (limit, agents, votes, report size). */
  INVALID_OPTIONS: "ECHELON_AUDIT_OPTIONS_INVALID",
  /** The folder has no installed packages to audit. */
  NOTHING_TO_AUDIT: "ECHELON_AUDIT_NOTHING_TO_AUDIT",
} as const;

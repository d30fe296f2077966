/** Error codes of `@echelon/cli`. Append-only; listed in `docs/errors.md`. */
export const CliErrorCode = {
  /** The agents module could not be loaded or exports no agents. */
  AGENTS_MODULE_INVALID: "ECHELON_CLI_AGENTS_MODULE_INVALID",
  /** A command-line option has a bad value. */
  OPTION_INVALID: "ECHELON_CLI_OPTION_INVALID",
  /** `status`/`cancel --url`: no dashboard answers there, or it refused the request. */
  NOT_AVAILABLE: "ECHELON_CLI_NOT_AVAILABLE",
  /** `--dashboard` was asked for but `@echelon/monitoring` is not installed. */
  DASHBOARD_UNAVAILABLE: "ECHELON_CLI_DASHBOARD_UNAVAILABLE",
  /** `echelon worker` was run but `@echelon/transport-bullmq` is not installed. */
  TRANSPORT_UNAVAILABLE: "ECHELON_CLI_TRANSPORT_UNAVAILABLE",
  /** A command's argument looks like a file path (or must be one, for `run`) but no such file exists. */
  FILE_NOT_FOUND: "ECHELON_CLI_FILE_NOT_FOUND",
  /** `list`, `status`, `cancel` or `prune` found no journal file at `--db` (default `.echelon/echelon.db`, or `$ECHELON_DB`). */
  JOURNAL_NOT_FOUND: "ECHELON_CLI_JOURNAL_NOT_FOUND",
} as const;

/** One of the CLI's error codes. */
export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

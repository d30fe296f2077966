import type { OrchestrationResult } from "echelon";

/**
 * Exit codes of the audit command, the same table as the `echelon` command's (docs/cli.md).
 *
 * | code | meaning |
 * |---|---|
 * | 0 | the audit completed (and the licence policy, if any, holds) |
 * | 1 | the audit failed, or packages break the licence policy |
 * | 2 | publishing failed and the saga removed the partial report |
 * | 3 | cancelled (Ctrl-C, SIGTERM) |
 * | 64 | bad input: unknown option, bad value, nothing to audit |
 * | 70 | internal error (a bug: run again with `--verbose` and report it) |
 */
export const ExitCode = {
  SUCCESS: 0,
  FAILED: 1,
  COMPENSATED: 2,
  CANCELLED: 3,
  BAD_INPUT: 64,
  INTERNAL: 70,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code of an audit.
 *
 * @param result - the orchestration's result
 * @param policyBroken - whether packages break the licence policy
 * @returns 0, 1, 2 or 3
 */
export function exitCodeFor(result: OrchestrationResult, policyBroken: boolean): ExitCode {
  if (result.success) return policyBroken ? ExitCode.FAILED : ExitCode.SUCCESS;
  if (result.state === "cancelled") return ExitCode.CANCELLED;
  if (result.error?.code === "ECHELON_SAGA_COMPENSATED") return ExitCode.COMPENSATED;
  return ExitCode.FAILED;
}

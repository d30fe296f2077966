import { type OrchestrationResult } from "@echelon/core";

/**
 * Exit codes of the `echelon` command. Stable: scripts may rely on them.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | the orchestration completed (or the command succeeded) |
 * | 1 | the orchestration failed |
 * | 2 | the orchestration failed and a saga compensated its completed steps |
 * | 3 | the orchestration was cancelled (Ctrl-C, SIGTERM) |
 * | 64 | bad input: usage, options, spec or agents module (the message says what to fix) |
 * | 69 | the feature is not available in this setup (e.g. status of another process's run) |
 * | 70 | internal error (a bug: please report it with `--verbose` output) |
 */
export const ExitCode = {
  SUCCESS: 0,
  FAILED: 1,
  COMPENSATED: 2,
  CANCELLED: 3,
  BAD_INPUT: 64,
  UNAVAILABLE: 69,
  INTERNAL: 70,
} as const;

/** One of the exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * The exit code for an orchestration result.
 *
 * @param result - the result
 * @returns 0 completed, 2 compensated, 3 cancelled, 1 otherwise
 */
export function exitCodeFor(result: OrchestrationResult): ExitCode {
  if (result.success) return ExitCode.SUCCESS;
  if (result.state === "cancelled") return ExitCode.CANCELLED;
  if (result.error?.code === "ECHELON_SAGA_COMPENSATED") return ExitCode.COMPENSATED;
  return ExitCode.FAILED;
}

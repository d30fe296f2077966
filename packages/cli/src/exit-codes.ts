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
 * | 4 | `cancel`: the orchestration had already finished; nothing was cancelled |
 * | 64 | bad input: usage, options, spec, a path to no file, or agents module (the message says what to fix) |
 * | 69 | not available in this setup (status of another process's run; `worker` without the transport package or with Redis unreachable) |
 * | 70 | internal error (a bug: please report it with `--verbose` output) |
 */
export const ExitCode = {
  /** The orchestration completed, or the command succeeded. */
  SUCCESS: 0,
  /** The orchestration failed. */
  FAILED: 1,
  /** The orchestration failed and a saga compensated its completed steps. */
  COMPENSATED: 2,
  /** The orchestration was cancelled (Ctrl-C, SIGTERM). */
  CANCELLED: 3,
  /** `cancel`: the orchestration had already finished; nothing was cancelled. */
  ALREADY_FINISHED: 4,
  /** Bad input: usage, options, spec, a path to no file, or the agents module. */
  BAD_INPUT: 64,
  /** Not available in this setup (no dashboard at `--url`, or none given; `worker` without the transport or Redis). */
  UNAVAILABLE: 69,
  /** Internal error: a bug. */
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

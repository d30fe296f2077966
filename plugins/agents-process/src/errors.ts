/**
 * Error codes raised by `@echelon/agents-process`. Append-only: a code is never renamed or
 * reused for another meaning.
 */
export const ProcessErrorCode = {
  /** The child exited with a non-zero code or was killed by a signal. `details`: exitCode, signal, stderrTail. */
  EXITED: "ECHELON_PROCESS_EXITED",
  /** The command could not be started (not found, not executable, bad cwd). */
  SPAWN_FAILED: "ECHELON_PROCESS_SPAWN_FAILED",
  /** The child wrote more than `maxOutputBytes` to stdout; it was killed. */
  OUTPUT_TOO_LARGE: "ECHELON_PROCESS_OUTPUT_TOO_LARGE",
  /** The child exited 0 but its stdout is not the JSON that `output: "json"` asks for. */
  OUTPUT_INVALID: "ECHELON_PROCESS_OUTPUT_INVALID",
  /** A Node-module child exited 0 without sending a result. */
  NO_RESULT: "ECHELON_PROCESS_NO_RESULT",
  /** A Node-module child could not import the module, or its export is not a function. */
  MODULE_INVALID: "ECHELON_PROCESS_MODULE_INVALID",
  /** The agent was disposed while the task ran; its child was killed. */
  DISPOSED: "ECHELON_PROCESS_DISPOSED",
} as const;

/** One of the process error codes. */
export type ProcessErrorCode = (typeof ProcessErrorCode)[keyof typeof ProcessErrorCode];

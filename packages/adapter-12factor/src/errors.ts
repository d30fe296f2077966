/**
 * Error codes raised by `@echelon/adapter-12factor`. Append-only: a code is never renamed or
 * reused for another meaning.
 */
export const AdapterErrorCode = {
  /** A tool name was called that the agent did not register. `details.tools` lists the known ones. */
  TOOL_UNKNOWN: "ECHELON_TOOL_UNKNOWN",
  /** Tool arguments do not match the tool's JSON Schema. `details.issues` lists every problem with its path. */
  TOOL_ARGUMENTS_INVALID: "ECHELON_TOOL_ARGUMENTS_INVALID",
  /** Two tools were registered under one name, or a tool definition is malformed. */
  TOOL_DEFINITION_INVALID: "ECHELON_TOOL_DEFINITION_INVALID",
  /** A tool handler threw something that is not an EchelonError; the original message is kept. */
  TOOL_FAILED: "ECHELON_TOOL_FAILED",
  /** A tool or task produced data that is not JSON-serialisable. */
  TOOL_RESULT_NOT_SERIALIZABLE: "ECHELON_TOOL_RESULT_NOT_SERIALIZABLE",
  /** A 12-Factor agent answered a task with `success: false`; `details.toolError` holds its error. */
  TASK_FAILED: "ECHELON_ADAPTER_TASK_FAILED",
  /** `restore()` got a checkpoint that is not one of this agent's (`details.issues`). */
  CHECKPOINT_INVALID: "ECHELON_ADAPTER_CHECKPOINT_INVALID",
  /** A tool's `parameters` is not a valid JSON Schema (draft 2020-12): refused at registration (`details.issues`). */
  TOOL_SCHEMA_INVALID: "ECHELON_TOOL_SCHEMA_INVALID",
} as const;

/** One of the adapter's error codes. */
export type AdapterErrorCode = (typeof AdapterErrorCode)[keyof typeof AdapterErrorCode];

/**
 * Error codes raised by `@echelon/decomposer`. Append-only: a code is never renamed or reused.
 * Validation problems of a spec use core's codes (`ECHELON_SPEC_INVALID`, `ECHELON_SPEC_TOO_DEEP`,
 * `ECHELON_SPEC_DEPENDENCY_CYCLE`, `ECHELON_PATTERN_UNKNOWN`); bad options use `ECHELON_CONFIG_INVALID`.
 */
export const DecomposerErrorCode = {
  /** A spec file could not be read (missing, a directory, no permission). `details.file` names it. */
  FILE_UNREADABLE: "ECHELON_SPEC_FILE_UNREADABLE",
  /** A spec file is not valid JSON or YAML. `details` holds `file`, and `line`/`column` when the parser gives them. */
  PARSE_FAILED: "ECHELON_SPEC_PARSE_FAILED",
  /** A spec file has an extension other than `.json`, `.yaml` or `.yml`. */
  FORMAT_UNSUPPORTED: "ECHELON_SPEC_FORMAT_UNSUPPORTED",
  /** A task text is longer than the decomposer's `maxTextLength`. */
  TEXT_TOO_LONG: "ECHELON_DECOMPOSER_TEXT_TOO_LONG",
} as const;

/** One of the decomposer's own error codes. */
export type DecomposerErrorCode = (typeof DecomposerErrorCode)[keyof typeof DecomposerErrorCode];

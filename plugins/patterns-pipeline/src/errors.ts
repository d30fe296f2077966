/**
 * Error codes raised by `@echelon/patterns-pipeline`. Append-only; a code is never reused.
 */
export const PipelineErrorCode = {
  /** A stage names a processor (`metadata.processor` or `patternOptions.processors`) that is not registered. */
  PROCESSOR_UNKNOWN: "ECHELON_PIPELINE_PROCESSOR_UNKNOWN",
  /** `registerStageProcessor` got a bad name or function, or a taken name without `{ override: true }`. */
  PROCESSOR_INVALID: "ECHELON_PIPELINE_PROCESSOR_INVALID",
  /** A pipeline option has the wrong type or range (`bufferSize`, `streaming`, `processors`). */
  OPTIONS_INVALID: "ECHELON_PIPELINE_OPTIONS_INVALID",
  /** Streaming was asked for but the input is not a list. */
  INPUT_INVALID: "ECHELON_PIPELINE_INPUT_INVALID",
  /** An in-process stage processor threw; the original error is the `cause`. */
  STAGE_FAILED: "ECHELON_PIPELINE_STAGE_FAILED",
} as const;

/** One of the pipeline error codes. */
export type PipelineErrorCode = (typeof PipelineErrorCode)[keyof typeof PipelineErrorCode];

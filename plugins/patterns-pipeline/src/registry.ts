import type { PipelinePattern } from "./pipeline-pattern.js";

declare module "@echelon/core" {
  /** Types `executor.patterns.pipeline` as the pipeline pattern (with `registerStageProcessor`). */
  interface PatternRegistry {
    /** The pipeline pattern, so `executor.patterns["pipeline"]` is typed as a {@link PipelinePattern}. */
    pipeline: PipelinePattern;
  }
}

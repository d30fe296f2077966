/**
 * `@echelon/patterns-pipeline` — the pipeline coordination pattern as an Echelon plugin.
 *
 * @packageDocumentation
 */
import "./events.js";
import "./registry.js";

export { PipelineErrorCode } from "./errors.js";
export type { PipelineRunOptions } from "./options.js";
export { PipelinePattern } from "./pipeline-pattern.js";
export { type PipelinePlugin, type PipelinePluginOptions, pipelinePattern } from "./plugin.js";
export type { StageProcessor, StageProcessorContext, StageProcessorOptions } from "./processors.js";

import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import type { PipelineRunOptions } from "./options.js";
import { PipelinePattern } from "./pipeline-pattern.js";
import type { StageProcessor } from "./processors.js";

/** Options of {@link pipelinePattern}. */
export interface PipelinePluginOptions {
  /** Run options used when a node's `patternOptions` leave them out. */
  readonly defaults?: PipelineRunOptions;
  /** Stage processors registered up front, by name. */
  readonly processors?: Readonly<Record<string, StageProcessor>>;
}

/** The plugin, with the pattern object it registers (for `registerStageProcessor`). */
export interface PipelinePlugin extends EchelonPlugin {
  /** The pattern this plugin registers. */
  readonly pattern: PipelinePattern;
}

/**
 * The pipeline pattern plugin (pattern name `pipeline`).
 *
 * @param options - default run options and stage processors
 * @returns the plugin
 * @throws EchelonError `ECHELON_PIPELINE_PROCESSOR_INVALID` for a bad processor
 * @example
 * ```ts
 * const plugin = pipelinePattern({ processors: { "parse-json": (s) => JSON.parse(String(s)) } });
 * ```
 */
export function pipelinePattern(options: PipelinePluginOptions = {}): PipelinePlugin {
  const pattern = new PipelinePattern({ ...options.defaults });
  for (const [name, fn] of Object.entries(options.processors ?? {})) pattern.registerStageProcessor(name, fn);
  const plugin = definePlugin({
    name: "@echelon/patterns-pipeline",
    version: "0.1.0",
    register: (ctx) => ctx.registerPattern(pattern),
  });
  return { ...plugin, pattern };
}

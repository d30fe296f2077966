import { EchelonError } from "@echelon/core";
import type { PatternChild } from "@echelon/core/plugin";
import { PipelineErrorCode } from "./errors.js";

/** What an in-process stage processor gets besides its input. */
export interface StageProcessorContext {
  /** Id of the stage child. */
  readonly stage: string;
  /** Position of the stage, 0-based. */
  readonly index: number;
  /** Item number when streaming, `null` in batch mode. */
  readonly item: number | null;
  /** Aborted when the pipeline is cancelled or fails; honour it in long work. */
  readonly signal: AbortSignal;
  /** The stage child's metadata (processor settings live here). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * A stage processor: real work done in-process between agent stages (parse, validate,
 * reshape). Returns the stage's output (JSON). Treat `input` as read-only (it is the previous
 * stage's output, also held in results and events).
 */
export type StageProcessor = (input: unknown, context: StageProcessorContext) => unknown;

/** Options of `registerStageProcessor`. */
export interface StageProcessorOptions {
  /** Replace an existing processor of the same name on purpose. */
  readonly override?: boolean;
}

/** Processors by name, and which stage runs which. */
export class ProcessorRegistry {
  private readonly processors = new Map<string, StageProcessor>();

  /**
   * @throws EchelonError `ECHELON_PIPELINE_PROCESSOR_INVALID`
   */
  register(name: string, fn: StageProcessor, options: StageProcessorOptions = {}): void {
    if (typeof name !== "string" || name.length === 0 || typeof fn !== "function") {
      throw new EchelonError(
        PipelineErrorCode.PROCESSOR_INVALID,
        "registerStageProcessor(name, fn): pass a non-empty name and a function (input, context) => output.",
      );
    }
    if (this.processors.has(name) && options.override !== true) {
      throw new EchelonError(
        PipelineErrorCode.PROCESSOR_INVALID,
        `A stage processor named "${name}" already exists. Pick another name or pass { override: true }.`,
        { details: { processor: name } },
      );
    }
    this.processors.set(name, fn);
  }

  /** Registered names, sorted. */
  names(): string[] {
    return [...this.processors.keys()].sort();
  }

  /**
   * The processor each stage runs (`null` for agent stages): `patternOptions.processors[stageId]`
   * first, then the stage's `metadata.processor`.
   *
   * @throws EchelonError `ECHELON_PIPELINE_PROCESSOR_UNKNOWN` for a name not registered
   */
  resolve(
    stages: readonly PatternChild[],
    byStage: Readonly<Record<string, string>>,
  ): Array<{ readonly name: string; readonly fn: StageProcessor } | null> {
    return stages.map((stage) => {
      const named = byStage[stage.id] ?? stage.metadata.processor;
      if (named === undefined) return null;
      const fn = typeof named === "string" ? this.processors.get(named) : undefined;
      if (!fn) {
        throw new EchelonError(
          PipelineErrorCode.PROCESSOR_UNKNOWN,
          `Stage "${stage.id}" names processor ${JSON.stringify(named)}, which is not registered. Register it with registerStageProcessor (known: ${this.names().join(", ") || "none"}).`,
          { details: { stage: stage.id, processor: String(named), known: this.names() } },
        );
      }
      return { name: named as string, fn };
    });
  }
}

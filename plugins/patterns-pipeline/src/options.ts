import { EchelonError } from "@echelon/core";
import { PipelineErrorCode } from "./errors.js";

/** Options of one pipeline run (`patternOptions` of the node, or the executor call's). */
export interface PipelineRunOptions {
  /** Stream a list input item by item through the stages. Default false (also enabled by an input `{ stream: true, items }`). */
  readonly streaming?: boolean;
  /** Items buffered between two stages when streaming (backpressure beyond). Default 4. */
  readonly bufferSize?: number;
  /** Processor name per stage id, overriding the stages' `metadata.processor`. */
  readonly processors?: Readonly<Record<string, string>>;
}

/** Options after defaults and checks. */
export interface ResolvedPipelineOptions {
  readonly streaming: boolean;
  readonly bufferSize: number;
  readonly processors: Readonly<Record<string, string>>;
}

function invalid(message: string, option: string): EchelonError {
  return new EchelonError(PipelineErrorCode.OPTIONS_INVALID, `pipeline: ${message}`, { details: { option } });
}

/**
 * Checks and completes run options.
 *
 * @throws EchelonError `ECHELON_PIPELINE_OPTIONS_INVALID` naming the option to fix
 */
export function resolvePipelineOptions(raw: Readonly<Record<string, unknown>>): ResolvedPipelineOptions {
  const streaming = raw.streaming ?? raw.stream ?? false;
  if (typeof streaming !== "boolean")
    throw invalid(`streaming must be a boolean, got ${JSON.stringify(streaming)}.`, "streaming");
  const bufferSize = raw.bufferSize ?? 4;
  if (typeof bufferSize !== "number" || !Number.isInteger(bufferSize) || bufferSize < 1) {
    throw invalid(`bufferSize must be a positive integer, got ${JSON.stringify(bufferSize)}.`, "bufferSize");
  }
  const processors = raw.processors ?? {};
  if (
    typeof processors !== "object" ||
    processors === null ||
    Array.isArray(processors) ||
    Object.values(processors).some((v) => typeof v !== "string")
  ) {
    throw invalid("processors must map stage ids to processor names.", "processors");
  }
  return { streaming, bufferSize, processors: processors as Record<string, string> };
}

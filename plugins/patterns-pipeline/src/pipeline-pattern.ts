import { EchelonError } from "@echelon/core";
import {
  abortError,
  assertJsonSerializable,
  linkedController,
  type Pattern,
  type PatternChild,
  type PatternContext,
  type PatternOutcome,
  raceAbort,
} from "@echelon/core/plugin";
import "./events.js";
import { CLOSED, Channel } from "./channel.js";
import { PipelineErrorCode } from "./errors.js";
import { resolvePipelineOptions } from "./options.js";
import { ProcessorRegistry, type StageProcessor, type StageProcessorOptions } from "./processors.js";

type StageRunner = { readonly name: string; readonly fn: StageProcessor } | null;

interface Item {
  readonly n: number;
  readonly value: unknown;
}

function streamInput(value: unknown): readonly unknown[] | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { stream, items } = value as { stream?: unknown; items?: unknown };
  return stream === true && Array.isArray(items) ? items : null;
}

/**
 * The pipeline pattern: children are stages, in order; stage i receives stage i−1's output and
 * the first stage receives the composite input (or, when there is none, its own input).
 *
 * A stage whose `metadata.processor` (or `patternOptions.processors[stageId]`) names a registered
 * stage processor is run in-process by it instead of by an agent — useful for parsing or
 * reshaping between agent stages.
 *
 * Streaming (`patternOptions.streaming: true`, or an input `{ stream: true, items: [...] }`):
 * each item flows through the stages on its own; item n+1 enters stage k while item n is in
 * stage k+1. Between two stages at most `bufferSize` items wait (backpressure: a fast stage
 * waits for a slow successor). Each stage handles one item at a time, so outputs keep input order;
 * each item-stage run is a separate invocation `item-<n>`.
 */
export class PipelinePattern implements Pattern {
  readonly name = "pipeline";
  readonly ordering = "sequential" as const;
  /** Under `PatternExecutor` the agents are the stages and the slices flow through them (the seed API). */
  readonly sliceLayout = "agent-stages" as const;
  private readonly registry = new ProcessorRegistry();

  /** @param defaults - run options applied under each run's own options */
  constructor(private readonly defaults: Readonly<Record<string, unknown>> = {}) {}

  /**
   * Registers an in-process stage processor usable by name in a stage's `metadata.processor`.
   *
   * @param name - the processor's name
   * @param fn - `(input, context) => output`
   * @param options - `override`
   * @throws EchelonError `ECHELON_PIPELINE_PROCESSOR_INVALID` for a bad or taken name
   * @example
   * ```ts
   * pattern.registerStageProcessor("parse-json", (input) => JSON.parse(String(input)));
   * ```
   */
  registerStageProcessor(name: string, fn: StageProcessor, options: StageProcessorOptions = {}): void {
    this.registry.register(name, fn, options);
  }

  /** Names of the registered stage processors, sorted. */
  stageProcessorNames(): string[] {
    return this.registry.names();
  }

  /** Fit for automatic choice: 0.9 when the children form one dependency chain, else 0. */
  recommend(children: readonly PatternChild[]): number {
    const chain =
      children.length >= 2 &&
      children.every((c, i) =>
        i === 0
          ? c.dependsOn.length === 0
          : c.dependsOn.length === 1 && c.dependsOn[0] === children[i - 1]!.id,
      );
    return chain ? 0.9 : 0;
  }

  /**
   * Checks the options and that every stage processor named is registered, before any work.
   *
   * @throws EchelonError `ECHELON_PIPELINE_OPTIONS_INVALID`, `ECHELON_PIPELINE_PROCESSOR_UNKNOWN`
   */
  checkOptions(options: Readonly<Record<string, unknown>>, children: readonly PatternChild[]): void {
    const opts = resolvePipelineOptions({ ...this.defaults, ...options });
    this.registry.resolve(children, opts.processors);
  }

  /**
   * Runs the stages.
   *
   * @throws EchelonError `ECHELON_PIPELINE_OPTIONS_INVALID`, `ECHELON_PIPELINE_PROCESSOR_UNKNOWN`,
   *   `ECHELON_PIPELINE_INPUT_INVALID` before any work; a failing stage's own error (agent stages) or
   *   `ECHELON_PIPELINE_STAGE_FAILED` (processor stages); `ECHELON_CANCELLED`
   */
  async execute(children: readonly PatternChild[], ctx: PatternContext): Promise<PatternOutcome> {
    const opts = resolvePipelineOptions({ ...this.defaults, ...ctx.options });
    const runners = this.registry.resolve(children, opts.processors);
    // A composite node without input (null in a plan) hands the first stage its own input.
    const first = ctx.input !== undefined && ctx.input !== null ? ctx.input : children[0]?.input;
    const streamed = streamInput(first);
    const processors = Object.fromEntries(
      children.flatMap((c, i) => (runners[i] ? [[c.id, runners[i]!.name]] : [])),
    );
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The pipeline");
    if (!opts.streaming && streamed === null) {
      let value = first;
      for (let i = 0; i < children.length; i++) {
        value = await this.runStage(ctx, children[i]!, i, runners[i]!, value, null, ctx.signal);
      }
      return { result: value, details: { mode: "batch", stages: children.length, processors } };
    }
    const items = streamed ?? first;
    if (!Array.isArray(items)) {
      throw new EchelonError(
        PipelineErrorCode.INPUT_INVALID,
        `pipeline: streaming needs a list input, got ${items === null ? "null" : typeof items}. Pass an array (or { stream: true, items: [...] }).`,
      );
    }
    const { results, maxBuffered } = await this.stream(ctx, children, runners, items, opts.bufferSize);
    return {
      result: results,
      details: {
        mode: "streaming",
        stages: children.length,
        items: items.length,
        bufferSize: opts.bufferSize,
        maxBuffered,
        processors,
      },
    };
  }

  private async stream(
    ctx: PatternContext,
    stages: readonly PatternChild[],
    runners: readonly StageRunner[],
    items: readonly unknown[],
    bufferSize: number,
  ): Promise<{ results: unknown[]; maxBuffered: number }> {
    const link = linkedController(ctx.signal);
    const signal = link.signal;
    const channels = Array.from({ length: stages.length + 1 }, () => new Channel<Item>(bufferSize, signal));
    const results: unknown[] = new Array(items.length);
    let firstError: unknown = null;
    const guard = (work: () => Promise<void>) =>
      work().catch((error: unknown) => {
        if (firstError === null && !ctx.signal.aborted) {
          firstError = error;
          link.controller.abort(
            new EchelonError("ECHELON_CANCELLED", "Cancelled: another pipeline stage failed."),
          );
        }
      });
    const source = guard(async () => {
      for (let n = 0; n < items.length; n++) await channels[0]!.push({ n, value: items[n] });
      channels[0]!.close();
    });
    const workers = stages.map((stage, k) =>
      guard(async () => {
        for (;;) {
          const item = await channels[k]!.pull();
          if (item === CLOSED) break;
          const out = await this.runStage(ctx, stage, k, runners[k]!, item.value, item.n, signal);
          await channels[k + 1]!.push({ n: item.n, value: out });
        }
        channels[k + 1]!.close();
      }),
    );
    const sink = guard(async () => {
      for (;;) {
        const item = await channels[stages.length]!.pull();
        if (item === CLOSED) break;
        results[item.n] = item.value;
      }
    });
    try {
      await Promise.all([source, ...workers, sink]);
    } finally {
      link.dispose();
    }
    if (ctx.signal.aborted) throw abortError(ctx.signal, "The pipeline");
    if (firstError !== null) throw firstError;
    return { results, maxBuffered: Math.max(...channels.slice(1, -1).map((c) => c.maxBuffered), 0) };
  }

  private async runStage(
    ctx: PatternContext,
    stage: PatternChild,
    index: number,
    runner: StageRunner,
    input: unknown,
    item: number | null,
    signal: AbortSignal,
  ): Promise<unknown> {
    const started = performance.now();
    let output: unknown;
    if (runner === null) {
      output = await ctx.runChild(stage, {
        input,
        signal,
        ...(item !== null ? { invocation: `item-${item}` } : {}),
      });
    } else {
      if (signal.aborted) throw abortError(signal, "The pipeline");
      try {
        output = await raceAbort(
          Promise.resolve().then(() =>
            runner.fn(input, { stage: stage.id, index, item, signal, metadata: stage.metadata }),
          ),
          signal,
        );
      } catch (error) {
        if (signal.aborted || error instanceof EchelonError) throw error;
        throw new EchelonError(
          PipelineErrorCode.STAGE_FAILED,
          `Stage "${stage.id}" (processor "${runner.name}")${item !== null ? ` failed on item ${item}` : " failed"}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, details: { stage: stage.id, processor: runner.name, item } },
        );
      }
      assertJsonSerializable(output, `output of stage "${stage.id}" (processor "${runner.name}")`);
    }
    ctx.emit("pipeline:stageCompleted", {
      stage: stage.id,
      index,
      item,
      processor: runner?.name ?? null,
      durationMs: performance.now() - started,
    });
    return output;
  }
}

import { type Agent, EventBus, type EchelonEvent, type PatternResult, type TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { pipelinePattern, type PipelinePluginOptions } from "../src/index.js";

/** Yields to the event loop `n` times: real asynchrony without sleeping. */
export async function yieldTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A log of stage runs: `start`/`end` of `stage#item`, in the order they happened. */
export type Trace = string[];

/** An agent that applies each stage's function (by task id) after `turns` event-loop turns, tracing starts and ends. */
export function stageAgent(
  fns: Record<string, (input: unknown) => unknown>,
  trace: Trace = [],
  turns: (stage: string) => number = () => 1,
  capacity = 8,
): Agent {
  return {
    id: "stager",
    type: "test",
    capabilities: [],
    capacity,
    async execute(work, ctx) {
      const label = `${work.taskId}#${work.nodePath.split("#item-")[1] ?? "-"}`;
      trace.push(`start ${label}`);
      await yieldTurns(turns(work.taskId));
      if (ctx.signal.aborted) throw new Error("aborted");
      const out = fns[work.taskId]!(work.input);
      trace.push(`end ${label}`);
      return out;
    },
  };
}

/** Stage slices with ids. */
export function stages(
  ids: readonly string[],
  metadata: Record<string, Record<string, unknown>> = {},
): TaskSlice[] {
  return ids.map((id, i) => ({
    sliceId: id,
    content: i === 0 ? null : undefined,
    metadata: metadata[id] ?? {},
  }));
}

/** Runs the pipeline and collects its events. */
export async function runPipeline(
  slices: readonly TaskSlice[],
  agents: readonly Agent[],
  run: {
    input?: unknown;
    options?: Record<string, unknown>;
    signal?: AbortSignal;
    plugin?: PipelinePluginOptions;
  } = {},
): Promise<{ result: PatternResult; events: EchelonEvent[] }> {
  const bus = new EventBus();
  const events: EchelonEvent[] = [];
  bus.onAny((e) => events.push(e));
  const { pattern } = pipelinePattern(run.plugin);
  const result = await runPatternOnSlices(pattern, slices, agents, {
    // These tests hand the stages as slices; PatternExecutor's default for the pipeline is agents as stages.
    layout: "slices",
    options: run.options ?? {},
    events: bus,
    ...(run.input !== undefined ? { input: run.input } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
  });
  return { result, events };
}

import type { Agent, AgentWork, PatternResult, TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { mapReducePattern, type MapReducePluginOptions } from "../src/index.js";

/** Slices with the given contents, ids s0, s1, … */
export function slicesOf(contents: readonly unknown[]): TaskSlice[] {
  return contents.map((content, i) => ({ sliceId: `s${i}`, content }));
}

/** Yields to the event loop `n` times: real asynchrony that reorders completions without sleeping. */
export async function yieldTurns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** An agent computing `fn(input)` after `turns(work)` event-loop turns, counting peak concurrency into `peak`. */
export function turnAgent(
  fn: (input: unknown) => unknown,
  turns: (work: AgentWork) => number = () => 0,
  peak?: { now: number; max: number },
  capacity = 1,
): Agent {
  return {
    id: `turn-${Math.random().toString(36).slice(2)}`,
    type: "test",
    capabilities: [],
    capacity,
    async execute(work) {
      if (peak) peak.max = Math.max(peak.max, ++peak.now);
      try {
        await yieldTurns(turns(work));
        return fn(work.input);
      } finally {
        if (peak) peak.now--;
      }
    },
  };
}

/** Runs map-reduce on contents with agents and pattern options. */
export async function runMapReduce(
  contents: readonly unknown[],
  agents: readonly Agent[],
  options: Record<string, unknown> = {},
  extra: { signal?: AbortSignal; plugin?: MapReducePluginOptions; keepOutputs?: boolean } = {},
): Promise<PatternResult> {
  const plugin = mapReducePattern(extra.plugin);
  return runPatternOnSlices(plugin.pattern, slicesOf(contents), agents, {
    options,
    ...(extra.signal ? { signal: extra.signal } : {}),
    ...(extra.keepOutputs !== undefined ? { keepOutputs: extra.keepOutputs } : {}),
  });
}

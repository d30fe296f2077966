import type { Agent } from "../agents/agent.js";
import type { TaskSlice } from "../model/task.js";
import type { Pattern } from "../patterns/pattern.js";
import type { PatternResult } from "../patterns/pattern-result.js";
import { toSliceAgents } from "./executor-agents.js";
import { runSlices, type SliceRunOptions } from "./run-slices.js";
import { checkSlices } from "./slice-checks.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

/**
 * Runs a pattern directly on slices over a fixed set of agents, exactly as `PatternExecutor`
 * does (one runtime: the slices become a virtual plan), without an executor object — what the
 * pattern conformance suite of `@echelon/testing` drives.
 *
 * @param pattern - the pattern
 * @param slices - the work
 * @param agents - agents that run it (at least one)
 * @param options - pattern options, signal, events, run id, input
 * @returns the pattern result; never throws for a failing or cancelled pattern (see `status`)
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when no agent is given or slices are malformed,
 *   `ECHELON_SPEC_INVALID` for bad dependencies or non-JSON content, the pattern's own code for bad options
 * @example
 * ```ts
 * const result = await runPatternOnSlices(myPattern, [{ sliceId: "a", content: 1 }], [agent]);
 * ```
 */
export async function runPatternOnSlices(
  pattern: Pattern,
  slices: readonly TaskSlice[],
  agents: readonly Agent[],
  options: SliceRunOptions = {},
): Promise<PatternResult> {
  checkSlices(slices);
  const resolved = toSliceAgents(agents);
  if (resolved.length === 0) {
    throw new EchelonError(CoreErrorCode.CONFIG_INVALID, "runPatternOnSlices: pass at least one agent.");
  }
  return runSlices({ value: pattern, plugin: null }, slices, resolved, options);
}

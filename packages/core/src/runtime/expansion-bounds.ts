import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { PlanNode } from "../model/task.js";
import { linkedController, raceAbort } from "../util/abort.js";
import type { NodeCall } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/**
 * Runs the making of a node's children under the run's rules for work: nothing is made while the
 * run is paused (an expander, decomposer or LLM call waits for resume), and the node's
 * `timeoutMs` (or the orchestrator's default) bounds the making. On timeout the signal handed to
 * `make` aborts with `ECHELON_TASK_TIMEOUT` and the expansion fails with it, even when the
 * expander ignores its signal.
 *
 * @param make - makes the children; gets the signal to honour
 * @throws EchelonError `ECHELON_TASK_TIMEOUT`, `ECHELON_CANCELLED`, or what `make` throws
 */
export async function boundedExpansion<T>(
  run: OrchestrationRun,
  node: PlanNode,
  call: NodeCall,
  make: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  await run.control.waitIfPaused(call.signal);
  const timeoutMs = node.timeoutMs ?? run.runtime.defaultTimeoutMs;
  if (timeoutMs === null) return make(call.signal);
  const link = linkedController(call.signal);
  const timer = setTimeout(() => link.controller.abort(timedOut(call.path, timeoutMs)), timeoutMs);
  try {
    return await raceAbort(make(link.signal), link.signal);
  } finally {
    clearTimeout(timer);
    link.dispose();
  }
}

function timedOut(path: string, timeoutMs: number): EchelonError {
  return new EchelonError(
    CoreErrorCode.TASK_TIMEOUT,
    `The expansion of "${path}" timed out after ${timeoutMs} ms. Raise the node's timeoutMs or make the expander faster.`,
    { details: { nodePath: path, timeoutMs, expansion: true } },
  );
}

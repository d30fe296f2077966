import type { OrchestrationResult } from "../model/result.js";
import type { Plan } from "../model/task.js";
import { runNode } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/**
 * Runs a validated plan as the given run: records the start (or, resumed, the recovery),
 * dispatches the root, builds the result and commits the journal. Never throws for a failing
 * or cancelled run (see the result's `state`).
 *
 * @returns the measured result
 */
export async function executeRun(
  run: OrchestrationRun,
  plan: Plan,
  owner?: string,
): Promise<OrchestrationResult> {
  run.start(plan, owner);
  // A resumed run whose journal says it was being cancelled finishes cancelling.
  if (run.replay?.state.cancelling === true)
    run.cancel("The run was being cancelled when its journal stopped.");
  let output: unknown;
  let failure: unknown;
  try {
    output = await runNode(run, plan.root, {
      path: plan.root.path,
      input: plan.root.input,
      signal: run.signal,
      strategy: run.runtime.defaultStrategy,
    });
  } catch (error) {
    failure = error ?? new Error("unknown failure");
  }
  const result = run.finish(output, failure);
  try {
    await run.recorder.commit();
  } catch {
    // The journal failed at the very end: the result stands; the run can be resumed to record it.
  }
  return result;
}

import type { OrchestrationResult } from "../model/result.js";
import type { Plan } from "../model/task.js";
import { runNode } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/**
 * Runs a validated plan as the given run: records the start, dispatches the root and builds
 * the result. Never throws for a failing or cancelled run (see the result's `state`).
 *
 * @returns the measured result
 */
export async function executeRun(run: OrchestrationRun, plan: Plan): Promise<OrchestrationResult> {
  run.start(plan);
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
  return run.finish(output, failure);
}

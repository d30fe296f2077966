import type { OrchestrationResult } from "../model/result.js";
import type { Plan } from "../model/task.js";
import { runNode } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";
import { CANCEL_REQUESTED_REASON } from "./run-ownership.js";

/** How {@link executeRun} starts a run. */
export interface ExecuteRunOptions {
  /** The lease owner (recorded when a resumed run is picked up). */
  readonly owner?: string;
  /** True when another process requested a cancel of the run before this process took it over. */
  readonly cancelRequested?: boolean;
}

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
  options: ExecuteRunOptions = {},
): Promise<OrchestrationResult> {
  run.start(plan, options.owner);
  // A resumed run whose journal says it was being cancelled (or whose cancel was requested
  // while no process held it) finishes cancelling: nothing new starts, sagas compensate.
  const replay = run.replay;
  if (replay?.state.cancelling === true) {
    run.cancelResumed(replay.cancelReason ?? "The run was being cancelled when its journal stopped.", true);
  } else if (options.cancelRequested === true) {
    if (replay !== null) run.cancelResumed(CANCEL_REQUESTED_REASON, false);
    else run.cancel(CANCEL_REQUESTED_REASON);
  }
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

import type { OrchestrationRun } from "../runtime/orchestration-run.js";
import { estimatePlanBytes } from "../store/retained-size.js";
import { estimateJsonBytes, OBJECT_HEADER_BYTES, SLOT_BYTES } from "../util/estimate-bytes.js";

/**
 * Bytes of one task record of a run's state: the record's seventeen fields, its entry in the
 * state's table of tasks (key, value, hash slot at the table's load factor) and its path when
 * the path is not the plan's string (48 bytes: a typical path). Checked against heap snapshots
 * of 100,000-leaf runs (within 10 %).
 */
export const TASK_RECORD_BYTES = OBJECT_HEADER_BYTES + 17 * SLOT_BYTES + 8 * SLOT_BYTES + 48;

/** Bytes of a run without its tasks, plan and result: controls, recorder, meter, the state's fixed part. */
export const RUN_BASE_BYTES = 6144;

/**
 * Estimated heap bytes a finished run keeps alive while the orchestrator retains it for status
 * look-ups: a fixed part, one record per task, its plan, the children expansions made, and its
 * result (the root's output included). Internal.
 *
 * @param run - a finished run
 * @returns the estimate, bytes
 */
export function estimateFinishedRunBytes(run: OrchestrationRun): number {
  const state = run.state;
  let bytes = RUN_BASE_BYTES + TASK_RECORD_BYTES * state.totalTasks;
  if (state.plan !== null) bytes += estimatePlanBytes(state.plan);
  for (const path in state.expansions) bytes += estimateJsonBytes(state.expansions[path]);
  if (state.result !== null) bytes += estimateJsonBytes(state.result);
  if (state.outputs !== null) bytes += estimateJsonBytes(state.outputs);
  return bytes;
}

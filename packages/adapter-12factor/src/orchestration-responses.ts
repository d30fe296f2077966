import { CoreErrorCode, type HierarchySnapshot, type OrchestrationResult } from "@echelon/core";
import { type ToolError, type ToolResponse, toolSuccess } from "./tool-response.js";

/**
 * The answer of `orchestrate_complex_task` for a settled orchestration: a success with the
 * result, or a failure carrying the result and the orchestration's coded error.
 *
 * @internal
 */
export function resultResponse(result: OrchestrationResult): ToolResponse<OrchestrationResult> {
  if (result.success) return toolSuccess(result, `Orchestration ${result.orchestrationId} completed.`);
  const error: ToolError = result.error
    ? {
        code: result.error.code,
        message: result.error.message,
        ...(result.error.details ? { details: result.error.details } : {}),
      }
    : { code: CoreErrorCode.TASK_FAILED, message: result.errorMessage ?? "The orchestration failed." };
  return {
    success: false,
    data: result,
    error,
    message: `Orchestration ${result.orchestrationId} ${result.state}: ${error.message}`,
  };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/**
 * The answer of `get_agent_hierarchy`: the snapshot as data, and a one-line summary per level
 * for the LLM (`2 agents on 3 levels: primary 1/1 live, load 0/4; …`).
 *
 * @internal
 */
export function hierarchyResponse(snapshot: HierarchySnapshot): ToolResponse<HierarchySnapshot> {
  const levels = snapshot.levels
    .map((l) => `${l.name} ${l.live}/${l.cap} live, load ${l.load}/${l.capacity}, ${l.waiting} waiting`)
    .join("; ");
  return toolSuccess(
    snapshot,
    `${count(snapshot.totalAgents, "agent")} on ${count(snapshot.levels.length, "level")}: ${levels}.`,
  );
}

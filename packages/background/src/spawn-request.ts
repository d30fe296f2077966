import { CoreErrorCode, EchelonError } from "@echelon/core";
import { isAgent, isAgentType } from "@echelon/core/plugin";
import { BackgroundErrorCode } from "./errors.js";
import type { BackgroundKind, SpawnRequest } from "./types.js";

/** `value`, or `fallback` when undefined. @throws EchelonError `ECHELON_CONFIG_INVALID` unless a positive integer */
export function positiveInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `BackgroundAgentExecutor: ${option} must be a positive integer, got ${String(value)}.`,
      { details: { option } },
    );
  }
  return value;
}

/** `value`, or `fallback` when undefined. @throws EchelonError `ECHELON_CONFIG_INVALID` unless an integer ≥ 0 */
export function nonNegativeInteger(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `BackgroundAgentExecutor: ${option} must be an integer ≥ 0 (milliseconds), got ${String(value)}.`,
      { details: { option } },
    );
  }
  return value;
}

function invalidRequest(message: string): EchelonError {
  return new EchelonError(BackgroundErrorCode.INVALID_REQUEST, `spawnBackgroundAgent: ${message}`);
}

/**
 * Checks a spawn request and says what it runs.
 *
 * @throws EchelonError `ECHELON_BACKGROUND_REQUEST_INVALID`, `ECHELON_BACKGROUND_NO_ORCHESTRATOR`,
 * `ECHELON_CONFIG_INVALID` (timeoutMs)
 */
export function checkSpawnRequest(request: SpawnRequest, hasOrchestrator: boolean): BackgroundKind {
  if (typeof request !== "object" || request === null) throw invalidRequest("pass a request object.");
  const { agent } = request;
  if (request.timeoutMs !== undefined) positiveInteger("timeoutMs", request.timeoutMs, 1);
  if (agent !== undefined) {
    if (request.orchestration !== undefined)
      throw invalidRequest("give either agent or orchestration, not both.");
    if (typeof agent !== "function" && !isAgent(agent) && !isAgentType(agent)) {
      throw invalidRequest("agent must be an Agent (with execute), an AgentType (with spawn) or a function.");
    }
    return "agent";
  }
  const task = request.orchestration ?? request.task;
  if (task === undefined || (typeof task !== "string" && (typeof task !== "object" || task === null))) {
    throw invalidRequest("give an agent, or an orchestration (text or TaskSpec) to run.");
  }
  if (!hasOrchestrator) {
    throw new EchelonError(
      BackgroundErrorCode.NO_ORCHESTRATOR,
      "spawnBackgroundAgent: an orchestration needs an orchestrator. Pass `orchestrator` to the BackgroundAgentExecutor.",
    );
  }
  return "orchestration";
}

/** A readable name for the run: the agent's id or type name, or the task's description. */
export function runName(request: SpawnRequest): string {
  const { agent } = request;
  if (agent === undefined) {
    const task = request.orchestration ?? request.task;
    return typeof task === "string" ? task : (task?.description ?? "orchestration");
  }
  if (isAgent(agent)) return agent.id;
  if (isAgentType(agent)) return agent.name;
  return `function:${agent.name || "anonymous"}`;
}

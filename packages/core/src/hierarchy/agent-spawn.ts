import type { Agent, AgentType } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Logger } from "../util/logger.js";

/**
 * Checks what an agent type's `spawn` gave back.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` when its capacity is not a positive integer
 */
export function checkSpawned(agent: Agent, type: AgentType): void {
  if (!Number.isInteger(agent.capacity) || agent.capacity < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `Agent "${agent.id}" of type "${type.name}" has capacity ${String(agent.capacity)}; it must be a positive integer.`,
    );
  }
}

/** The error a requester gets when spawning an agent of `type` at `level` failed with `error`. */
export function spawnFailure(error: unknown, type: AgentType, level: string): EchelonError {
  if (error instanceof EchelonError) return error;
  return new EchelonError(
    CoreErrorCode.TASK_FAILED,
    `Agent type "${type.name}" failed to spawn an agent at level ${level}: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, details: { agentType: type.name, level } },
  );
}

/** Disposes an agent in the background; a failing `dispose` is logged when a logger is given. */
export function disposeLater(agent: Agent, agentId: string, logger?: Logger): void {
  Promise.resolve()
    .then(() => agent.dispose?.())
    .catch((error: unknown) => logger?.warn("agent dispose failed", { agentId, message: String(error) }));
}

/** The error of a pool that was shut down. */
export function shutDown(): EchelonError {
  return new EchelonError(CoreErrorCode.ORCHESTRATOR_SHUT_DOWN, "The orchestrator was shut down.");
}

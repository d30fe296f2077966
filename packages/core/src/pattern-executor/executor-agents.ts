import type { Agent } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import { type SliceFunction, toSliceAgents } from "../patterns/slice-runner.js";

/** An agent as `PatternExecutor` accepts it: an Agent, a plain async function, or the id of a registered agent. */
export type ExecutorAgent = Agent | SliceFunction | string;

/**
 * Turns what a caller passed into agents: ids are looked up in `registered`, functions are
 * wrapped, Agents kept; nothing passed means every registered agent.
 *
 * @param agents - Agents, functions or ids (or one of them)
 * @param registered - agents registered with the executor, by id
 * @param allowNone - return an empty list instead of throwing when there is no agent at all
 * @returns the agents
 * @throws EchelonError `ECHELON_AGENT_TYPE_UNKNOWN` for an unknown id; `ECHELON_CONFIG_INVALID` when there is no agent
 */
export function resolveExecutorAgents(
  agents: readonly ExecutorAgent[] | ExecutorAgent | undefined,
  registered: ReadonlyMap<string, Agent>,
  allowNone = false,
): Agent[] {
  const list: readonly ExecutorAgent[] =
    agents === undefined ? [] : Array.isArray(agents) ? agents : [agents as ExecutorAgent];
  if (list.length === 0) {
    if (registered.size === 0 && !allowNone) {
      throw new EchelonError(
        CoreErrorCode.INVALID_CONFIG,
        "No agent to run the slices. Pass agents to executePattern or register some with registerAgent.",
      );
    }
    return [...registered.values()];
  }
  return toSliceAgents(
    list.map((a) => {
      if (typeof a !== "string") return a;
      const agent = registered.get(a);
      if (!agent) {
        throw new EchelonError(
          CoreErrorCode.UNKNOWN_AGENT_TYPE,
          `No agent is registered with id "${a}". Register it with registerAgent(id, agent) or pass the agent itself.`,
          { details: { agentId: a, known: [...registered.keys()] } },
        );
      }
      return agent;
    }),
  );
}

import { type Agent, type AgentContext, type AgentWork, isAgent } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";

/** A plain async function used as an agent under `PatternExecutor`. */
export type SliceFunction = (slice: AgentWork, context: AgentContext) => unknown;

/**
 * Wraps functions as agents (`<fn name>#<n>` or `fn#<n>`, capacity 1); leaves agents as they are.
 *
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for anything else
 */
export function toSliceAgents(agents: readonly (Agent | SliceFunction)[]): Agent[] {
  return agents.map((a, i) => {
    if (isAgent(a)) return a;
    if (typeof a === "function") {
      return {
        id: a.name ? `${a.name}#${i + 1}` : `fn#${i + 1}`,
        type: "function",
        capabilities: [],
        capacity: 1,
        execute: async (work, ctx) => a(work, ctx),
      } satisfies Agent;
    }
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `agents[${i}] is neither an Agent nor a function. Pass Agent objects, async functions or registered agent ids.`,
      { details: { index: i } },
    );
  });
}

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
        CoreErrorCode.CONFIG_INVALID,
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
          CoreErrorCode.AGENT_TYPE_UNKNOWN,
          `No agent is registered with id "${a}". Register it with registerAgent(id, agent) or pass the agent itself.`,
          { details: { agentId: a, known: [...registered.keys()] } },
        );
      }
      return agent;
    }),
  );
}

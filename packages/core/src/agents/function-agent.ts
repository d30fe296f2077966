import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError } from "../errors/echelon-error.js";
import type { Agent, AgentContext, AgentType, AgentWork } from "./agent.js";

/** The function behind a function agent: does the real work and returns JSON. */
export type AgentFunction = (work: AgentWork, context: AgentContext) => unknown;

/** Options of {@link functionAgent}. */
export interface FunctionAgentOptions {
  /**
   * A fixed agent id. When given, the type spawns exactly one agent with this id
   * (unless `maxInstances` says otherwise); when absent, instances are `<name>#<n>`.
   */
  readonly id?: string;
  /** Type name; defaults to `id`, then `function:<fn.name>`. */
  readonly name?: string;
  /** Level (name or index) the agents serve at; absent = any level. */
  readonly level?: string | number;
  /** Capabilities offered. Default none. */
  readonly capabilities?: readonly string[];
  /** Tasks one agent runs at once. Default 1. */
  readonly capacity?: number;
  /** Most instances alive at once. Default 1 with `id`, unbounded otherwise. */
  readonly maxInstances?: number;
}

function checkPositiveInteger(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `functionAgent: ${name} must be a positive integer, got ${String(value)}.`,
      { details: { option: name, value: String(value) } },
    );
  }
}

/**
 * An agent type whose agents run `fn(work, ctx)` in this process. `fn` must honour
 * `ctx.signal` for cancellation to reach its work.
 *
 * @param options - id, level, capabilities, capacity
 * @param fn - the work
 * @returns an agent type to pass in the orchestrator's `agents`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a bad capacity or instance count
 * @example
 * ```ts
 * const hasher = functionAgent({ capabilities: ["hash"], capacity: 4 }, async (work) =>
 *   createHash("sha256").update(String(work.input)).digest("hex"));
 * ```
 */
export function functionAgent(options: FunctionAgentOptions, fn: AgentFunction): AgentType {
  if (typeof fn !== "function") {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "functionAgent: the second argument must be a function.",
    );
  }
  checkPositiveInteger("capacity", options.capacity);
  checkPositiveInteger("maxInstances", options.maxInstances);
  const name = options.name ?? options.id ?? `function:${fn.name || "anonymous"}`;
  const capacity = options.capacity ?? 1;
  const capabilities = Object.freeze([...(options.capabilities ?? [])]);
  const fixedId = options.id;
  const maxInstances = options.maxInstances ?? (fixedId !== undefined ? 1 : undefined);
  return {
    name,
    capabilities,
    capacity,
    ...(options.level !== undefined ? { levels: [options.level] } : {}),
    ...(maxInstances !== undefined ? { maxInstances } : {}),
    spawn(id: string): Agent {
      const agentId = fixedId !== undefined && maxInstances === 1 ? fixedId : id;
      return {
        id: agentId,
        type: name,
        capabilities,
        capacity,
        // Not async: a promise `fn` returns is handed back as it is (an async wrapper would
        // adopt it, two more microtasks and a promise per task); a value or a throw is settled.
        execute: (work, context) => {
          try {
            return Promise.resolve(fn(work, context));
          } catch (error) {
            return Promise.reject(error);
          }
        },
      };
    },
  };
}

/**
 * Wraps a ready-made {@link Agent} as a type that spawns exactly that agent once.
 *
 * @param agent - the agent
 * @param level - level it serves at; any level when absent
 * @returns an agent type
 */
export function singleAgentType(agent: Agent, level?: string | number): AgentType {
  return {
    name: agent.type || agent.id,
    capabilities: agent.capabilities,
    capacity: agent.capacity,
    maxInstances: 1,
    ...(level !== undefined ? { levels: [level] } : {}),
    spawn: () => agent,
  };
}

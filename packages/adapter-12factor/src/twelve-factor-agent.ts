import { type Agent, type AgentType, CoreErrorCode, EchelonError } from "@echelon/core";
import type { BaseAgent } from "./base-agent.js";
import { AdapterErrorCode } from "./errors.js";

/** Options of {@link twelveFactorAgent}. */
export interface TwelveFactorAgentOptions {
  /** Capabilities the agent offers in the hierarchy. */
  readonly capabilities: readonly string[];
  /** Agent type name. Default `12factor:<agent name>`. */
  readonly name?: string;
  /**
   * Tasks one instance runs at once. Default 1: a BaseAgent keeps state, so concurrent tasks
   * on one instance should be opted into.
   */
  readonly capacity?: number;
  /** Levels (names or indices) the agents may serve at; any when absent. */
  readonly levels?: readonly (string | number)[];
  /** Most instances alive at once. Default 1 for an instance, unbounded for a factory. */
  readonly maxInstances?: number;
  /** What a successful task outputs: the response's `data` (default) or the whole ToolResponse. */
  readonly output?: "data" | "response";
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `twelveFactorAgent: ${name} must be a positive integer, got ${String(value)}.`,
      {
        details: { option: name },
      },
    );
  }
}

/**
 * Puts a {@link BaseAgent} to work in the hierarchy: an agent type whose agents run leaf tasks
 * through `agent.run(task)`. The leaf's description, input, id and metadata become the task;
 * `ctx.signal`, attempt, idempotency key and progress are passed through. A failed
 * ToolResponse becomes a task failure coded `ECHELON_ADAPTER_TASK_FAILED` (the agent's own
 * error in `details.toolError`), so core's retry policy and patterns treat it like any failure.
 *
 * @param agent - one agent instance (shared by the type, `maxInstances` 1) or a factory making a fresh agent per spawned instance
 * @param options - capabilities, capacity, name, levels, output shape
 * @returns an agent type for the orchestrator's `agents`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a bad capacity, maxInstances or capabilities
 * @example
 * ```ts
 * const orchestrator = new HierarchicalOrchestrator({
 *   agents: [twelveFactorAgent(() => new TextStatsAgent(), { capabilities: ["text-stats"] })],
 * });
 * ```
 */
export function twelveFactorAgent(
  agent: BaseAgent<object> | (() => BaseAgent<object>),
  options: TwelveFactorAgentOptions,
): AgentType {
  if (!Array.isArray(options?.capabilities) || !options.capabilities.every((c) => typeof c === "string")) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "twelveFactorAgent: options.capabilities must be an array of strings.",
    );
  }
  positive("capacity", options.capacity);
  positive("maxInstances", options.maxInstances);
  if (
    typeof agent !== "function" &&
    (typeof agent !== "object" || agent === null || typeof agent.run !== "function")
  ) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "twelveFactorAgent: pass a BaseAgent or a function returning one.",
    );
  }
  const factory = typeof agent === "function" ? agent : () => agent;
  const sample = typeof agent === "function" ? null : agent;
  const capabilities = Object.freeze([...options.capabilities]);
  const capacity = options.capacity ?? 1;
  const maxInstances = options.maxInstances ?? (sample !== null ? 1 : undefined);
  const name = options.name ?? `12factor:${sample?.name ?? ((agent as () => unknown).name || "agent")}`;
  const wantResponse = options.output === "response";
  return {
    name,
    capabilities,
    capacity,
    ...(options.levels !== undefined ? { levels: options.levels } : {}),
    ...(maxInstances !== undefined ? { maxInstances } : {}),
    spawn(id: string): Agent {
      const instance = factory();
      return {
        id,
        type: name,
        capabilities,
        capacity,
        async execute(work, ctx) {
          const response = await instance.run(
            {
              description: work.description,
              input: work.input,
              taskId: work.taskId,
              metadata: work.metadata,
            },
            {
              signal: ctx.signal,
              attempt: ctx.attempt,
              idempotencyKey: ctx.idempotencyKey,
              orchestrationId: ctx.orchestrationId,
              logger: ctx.logger,
              onProgress: (p, m) => ctx.report(p, m),
            },
          );
          if (response.success) return wantResponse ? response : (response.data ?? null);
          // An abort is reported by core from the signal; anything else is the agent's own failure.
          if (ctx.signal.aborted) throw ctx.signal.reason;
          const code = response.error?.code ?? CoreErrorCode.TASK_FAILED;
          throw new EchelonError(
            AdapterErrorCode.TASK_FAILED,
            `Agent "${instance.name}" could not do task "${work.nodePath}": ${response.error?.message ?? response.message ?? "no reason given"} (${code}).`,
            {
              details: {
                agent: instance.name,
                toolError: response.error ?? null,
                ...(response.message ? { message: response.message } : {}),
              },
            },
          );
        },
      };
    },
  };
}

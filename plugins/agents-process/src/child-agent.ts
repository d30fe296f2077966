import {
  type Agent,
  type AgentContext,
  type AgentType,
  type AgentWork,
  CoreErrorCode,
  EchelonError,
} from "@echelon/core";
import { linkedController } from "@echelon/core/plugin";
import { ChildRegistry } from "./child-supervisor.js";
import { ProcessErrorCode } from "./errors.js";
import type { ChildAgentOptions, ChildLimits } from "./options.js";

/** Runs one task in a child: the part that differs between process kinds. */
export type ChildRun = (
  work: AgentWork,
  context: AgentContext,
  signal: AbortSignal,
  registry: ChildRegistry,
) => Promise<unknown>;

/**
 * The agent type shared by the process kinds: each agent tracks its live children, applies
 * the agent's own timeout on top of the task's signal, and kills everything on dispose.
 */
export function childAgentType(
  name: string,
  options: ChildAgentOptions,
  limits: ChildLimits,
  run: ChildRun,
): AgentType {
  const capabilities = Object.freeze([...(options.capabilities ?? [])]);
  return {
    name,
    capabilities,
    capacity: limits.capacity,
    ...(options.level !== undefined ? { levels: [options.level] } : {}),
    ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
    spawn(id: string): Agent {
      const registry = new ChildRegistry();
      let disposed = false;
      return {
        id,
        type: name,
        capabilities,
        capacity: limits.capacity,
        async execute(work, context) {
          if (disposed) {
            throw new EchelonError(
              ProcessErrorCode.DISPOSED,
              `Agent ${id} was disposed; task "${work.taskId}" was not started.`,
            );
          }
          const linked = linkedController(context.signal);
          const timer =
            limits.timeoutMs === undefined
              ? undefined
              : setTimeout(
                  () =>
                    linked.controller.abort(
                      new EchelonError(
                        CoreErrorCode.TASK_TIMEOUT,
                        `The process of task "${work.taskId}" exceeded the agent's ${limits.timeoutMs} ms timeout and was stopped.`,
                        { details: { timeoutMs: limits.timeoutMs } },
                      ),
                    ),
                  limits.timeoutMs,
                );
          try {
            return await run(work, context, linked.signal, registry);
          } finally {
            if (timer) clearTimeout(timer);
            linked.dispose();
          }
        },
        async dispose() {
          disposed = true;
          await registry.stopAll(
            new EchelonError(
              ProcessErrorCode.DISPOSED,
              `Agent ${id} was disposed (shutdown or retirement); its process was killed.`,
            ),
            limits.killGraceMs,
          );
        },
      };
    },
  };
}

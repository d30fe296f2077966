import type { AgentType } from "@echelon/core";
import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { VERSION } from "./version.js";

/**
 * A plugin registering process agent types made with {@link processAgent} or {@link nodeModuleAgent}.
 *
 * @param types - the agent types to register
 * @returns the `@echelon/agents-process` plugin
 * @example
 * ```ts
 * new HierarchicalOrchestrator({ plugins: [processAgents([processAgent({ command: "sha256sum", args: ["{input}"], input: "none", output: "text" })])] });
 * ```
 */
export function processAgents(types: readonly AgentType[]): EchelonPlugin {
  const registered = [...types];
  return definePlugin({
    name: "@echelon/agents-process",
    version: VERSION,
    register(context) {
      for (const agentType of registered) context.registerAgentType(agentType);
    },
  });
}

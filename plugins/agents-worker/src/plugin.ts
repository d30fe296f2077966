import { definePlugin, type EchelonPlugin } from "@echelon/core/plugin";
import { VERSION } from "./version.js";
import { type WorkerAgentOptions, workerAgent } from "./worker-agent.js";

/**
 * A plugin registering one worker agent type per options object.
 *
 * @param types - options of each {@link workerAgent} type
 * @returns the `@echelon/agents-worker` plugin
 * @throws EchelonError `ECHELON_CONFIG_INVALID` from {@link workerAgent}, when the plugin is created
 * @example
 * ```ts
 * new HierarchicalOrchestrator({ plugins: [workerAgents([{ module: "./dist/primes.js", capabilities: ["primes"] }])] });
 * ```
 */
export function workerAgents(types: readonly WorkerAgentOptions[]): EchelonPlugin {
  const agentTypes = types.map((options) => workerAgent(options));
  return definePlugin({
    name: "@echelon/agents-worker",
    version: VERSION,
    register(context) {
      for (const agentType of agentTypes) context.registerAgentType(agentType);
    },
  });
}

import type { EchelonPlugin } from "@echelon/core";
import { definePlugin } from "@echelon/core/plugin";
import type { RemoteAgentType } from "./remote-agent.js";
import { VERSION } from "./version.js";

/**
 * A plugin registering remote agent types made with {@link remoteAgent}. Its `start` hook
 * connects them and fails fast when Redis does not answer within their `connectTimeoutMs`,
 * before any run starts (so nothing is journaled and a run to resume stays resumable); `stop`
 * closes their connections.
 *
 * @param types - the remote agent types
 * @returns the `@echelon/transport-bullmq` plugin
 * @throws EchelonError at start: `ECHELON_PLUGIN_HOOK_FAILED` with the cause `ECHELON_TRANSPORT_REDIS_UNAVAILABLE`
 * @example
 * ```ts
 * import { HierarchicalOrchestrator } from "@echelon/core";
 * import { remoteAgent, remoteAgents } from "@echelon/transport-bullmq";
 *
 * const orchestrator = new HierarchicalOrchestrator({
 *   plugins: [remoteAgents([remoteAgent({ capabilities: ["hash"], connection: "redis://127.0.0.1:6379" })])],
 * });
 * ```
 */
export function remoteAgents(types: readonly RemoteAgentType[]): EchelonPlugin {
  const registered = [...types];
  return definePlugin({
    name: "@echelon/transport-bullmq",
    version: VERSION,
    register(context) {
      for (const agentType of registered) context.registerAgentType(agentType);
    },
    async start() {
      await Promise.all(registered.map((t) => t.check()));
    },
    async stop() {
      await Promise.all(registered.map((t) => t.close()));
    },
  });
}

/**
 * `@echelon/agents-worker` — agents that run a module's function in a pool of worker threads.
 *
 * @packageDocumentation
 */
export { WorkerErrorCode } from "./errors.js";
export { workerAgents } from "./plugin.js";
export { VERSION } from "./version.js";
export { type WorkerAgentOptions, workerAgent } from "./worker-agent.js";

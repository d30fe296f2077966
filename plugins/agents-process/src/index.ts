/**
 * `@echelon/agents-process` — agents that run a child process per task: any command, or a
 * function of a Node module in a forked child.
 *
 * @packageDocumentation
 */
export { PLACEHOLDERS } from "./argv.js";
export { ProcessErrorCode } from "./errors.js";
export { type NodeModuleAgentOptions, nodeModuleAgent } from "./node-module-agent.js";
export type { ChildAgentOptions } from "./options.js";
export { processAgents } from "./plugin.js";
export {
  type ProcessAgentOptions,
  type ProcessInputMode,
  type ProcessOutputMode,
  processAgent,
} from "./process-agent.js";
export { VERSION } from "./version.js";

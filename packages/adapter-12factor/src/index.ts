/**
 * `@echelon/adapter-12factor` — 12-Factor agents in Echelon: `BaseAgent` with JSON Schema
 * tools, context, progress and checkpoints; `OrchestrationEnabledAgent` whose tools drive an
 * orchestrator; `twelveFactorAgent` to use any BaseAgent as a worker in the hierarchy; and
 * `HybridOrchestrator`, orchestrations launched inside background agents.
 *
 * @packageDocumentation
 */
export type {
  AgentCheckpoint,
  AgentProgress,
  AgentTask,
  BaseAgentOptions,
  ContextEntry,
  ContextEntryKind,
  RunTaskOptions,
  TaskRunContext,
} from "./agent-types.js";
export { BaseAgent } from "./base-agent.js";
export { AdapterErrorCode } from "./errors.js";
export {
  type HybridLaunchOptions,
  HybridOrchestrator,
  type HybridOrchestratorOptions,
  type HybridStatus,
} from "./hybrid-orchestrator.js";
export type { JsonSchema, JsonSchemaType, JsonSubschema, SchemaIssue } from "./json-schema.js";
export {
  type OrchestrationAgentState,
  OrchestrationEnabledAgent,
  type OrchestrationEnabledAgentOptions,
  type ToolOrchestrator,
} from "./orchestration-agent.js";
export { ORCHESTRATION_TOOL_SCHEMAS, type OrchestrationToolName } from "./orchestration-tool-schemas.js";
export { type CompiledSchema, type SchemaCheck, validateJsonSchema } from "./schema-compiler.js";
export {
  defineTool,
  type RegisteredTool,
  type ToolCallContext,
  type ToolDefinition,
  type ToolDescriptor,
  ToolRegistry,
} from "./tool.js";
export {
  isToolResponse,
  type ToolError,
  type ToolResponse,
  toolFailure,
  toolSuccess,
} from "./tool-response.js";
export { type TwelveFactorAgentOptions, twelveFactorAgent } from "./twelve-factor-agent.js";

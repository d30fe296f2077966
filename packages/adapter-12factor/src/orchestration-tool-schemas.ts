import type { JsonSchema } from "./json-schema.js";

const orchestrationId: JsonSchema = {
  type: "string",
  minLength: 1,
  description: "Id returned by orchestrate_complex_task.",
};

const byId: JsonSchema = {
  type: "object",
  required: ["orchestrationId"],
  additionalProperties: false,
  properties: { orchestrationId },
};

/** JSON Schemas of the orchestration tools' arguments, by tool name. */
export const ORCHESTRATION_TOOL_SCHEMAS: Readonly<Record<OrchestrationToolName, JsonSchema>> = {
  orchestrate_complex_task: {
    type: "object",
    required: ["task"],
    additionalProperties: false,
    properties: {
      task: {
        type: ["string", "object"],
        description:
          "The task: text to decompose, or a TaskSpec { description, input?, pattern?, children?: TaskSpec[], capabilities?, dependsOn? }.",
      },
      orchestrationId: { type: "string", minLength: 1, description: "Id to use; generated when absent." },
      pattern: { type: "string", minLength: 1, description: "Pattern for composite tasks that name none." },
      wait: {
        type: "boolean",
        description:
          "true (default): wait and return the result. false: return the id once started; poll get_orchestration_status.",
      },
    },
  },
  get_orchestration_status: byId,
  cancel_orchestration: byId,
  pause_orchestration: byId,
  resume_orchestration: byId,
  get_agent_hierarchy: { type: "object", additionalProperties: false, properties: {} },
};

/** Names of the tools of an `OrchestrationEnabledAgent`. */
export type OrchestrationToolName =
  | "orchestrate_complex_task"
  | "get_orchestration_status"
  | "cancel_orchestration"
  | "pause_orchestration"
  | "resume_orchestration"
  | "get_agent_hierarchy";

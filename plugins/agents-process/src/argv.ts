import type { AgentContext, AgentWork } from "@echelon/core";

/** Placeholders an argument may consist of, each replaced as one whole argv element. */
export const PLACEHOLDERS = [
  "{input}",
  "{taskId}",
  "{nodePath}",
  "{description}",
  "{attempt}",
  "{idempotencyKey}",
  "{orchestrationId}",
] as const;

/** The task's input as one argument: a string as it is, anything else as JSON. */
export function inputArgument(input: unknown): string {
  return typeof input === "string" ? input : (JSON.stringify(input) ?? "null");
}

/**
 * Builds the argv of one task. An element that is exactly a placeholder (`{input}`,
 * `{taskId}`, …) is replaced by the value, whole, as one element; placeholders inside a
 * longer element are left as written, so task text can never split into extra arguments
 * or reach a shell.
 */
export function buildArgs(template: readonly string[], work: AgentWork, context: AgentContext): string[] {
  return template.map((arg) => {
    switch (arg) {
      case "{input}":
        return inputArgument(work.input);
      case "{taskId}":
        return work.taskId;
      case "{nodePath}":
        return work.nodePath;
      case "{description}":
        return work.description;
      case "{attempt}":
        return String(context.attempt);
      case "{idempotencyKey}":
        return context.idempotencyKey;
      case "{orchestrationId}":
        return context.orchestrationId;
      default:
        return arg;
    }
  });
}

/** The JSON document a child reads on stdin with `input: "stdin-json"`. */
export function stdinDocument(work: AgentWork, context: AgentContext): string {
  return JSON.stringify({
    taskId: work.taskId,
    nodePath: work.nodePath,
    description: work.description,
    input: work.input,
    capabilities: work.capabilities,
    priority: work.priority,
    metadata: work.metadata,
    attempt: context.attempt,
    idempotencyKey: context.idempotencyKey,
    orchestrationId: context.orchestrationId,
    level: context.level,
  });
}

/** Variables every child gets on top of its environment. */
export function taskEnv(work: AgentWork, context: AgentContext): Record<string, string> {
  return {
    ECHELON_TASK_ID: work.taskId,
    ECHELON_NODE_PATH: work.nodePath,
    ECHELON_ATTEMPT: String(context.attempt),
    ECHELON_IDEMPOTENCY_KEY: context.idempotencyKey,
    ECHELON_ORCHESTRATION_ID: context.orchestrationId,
  };
}

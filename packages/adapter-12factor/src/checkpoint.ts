import { EchelonError } from "@echelon/core";
import type { AgentCheckpoint } from "./agent-types.js";
import { AdapterErrorCode } from "./errors.js";
import type { SchemaIssue } from "./json-schema.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is a checkpoint written by the agent named `agent`.
 *
 * @returns the checkpoint, typed
 * @throws EchelonError `ECHELON_ADAPTER_CHECKPOINT_INVALID` listing every problem
 * @internal
 */
export function checkCheckpoint<S>(value: unknown, agent: string): AgentCheckpoint<S> {
  const issues: SchemaIssue[] = [];
  if (!isRecord(value)) {
    issues.push({ path: "checkpoint", message: "must be an object from agent.checkpoint()" });
  } else {
    if (value.agent !== agent) {
      issues.push({
        path: "checkpoint.agent",
        message: `must be "${agent}", got ${JSON.stringify(value.agent)}`,
      });
    }
    if (value.version !== 1) issues.push({ path: "checkpoint.version", message: "must be 1" });
    if (!isRecord(value.state)) issues.push({ path: "checkpoint.state", message: "must be an object" });
    if (!Array.isArray(value.context)) {
      issues.push({ path: "checkpoint.context", message: "must be an array" });
    } else {
      value.context.forEach((entry, i) => {
        if (!isRecord(entry) || typeof entry.kind !== "string" || typeof entry.at !== "number") {
          issues.push({ path: `checkpoint.context[${i}]`, message: "must be { kind, at, data }" });
        }
      });
    }
    const progress = value.progress;
    if (
      !isRecord(progress) ||
      typeof progress.progress !== "number" ||
      progress.progress < 0 ||
      progress.progress > 1
    ) {
      issues.push({ path: "checkpoint.progress", message: "must be { progress: 0..1, message }" });
    }
  }
  if (issues.length > 0) {
    throw new EchelonError(
      AdapterErrorCode.CHECKPOINT_INVALID,
      `Cannot restore agent "${agent}": ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}. Pass a value returned by this agent's checkpoint().`,
      { details: { issues } },
    );
  }
  return value as unknown as AgentCheckpoint<S>;
}

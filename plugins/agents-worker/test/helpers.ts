import type { AgentContext, AgentWork } from "@echelon/core";
import { silentLogger } from "@echelon/core";

/** A work item as the hierarchy would hand it to an agent. */
export function work(input: unknown, taskId = "t1"): AgentWork {
  return {
    taskId,
    nodePath: `root/${taskId}`,
    description: `task ${taskId}`,
    input,
    capabilities: [],
    priority: 0,
    metadata: {},
  };
}

/** A context as the hierarchy would build it, recording reports. */
export function context(
  signal: AbortSignal = new AbortController().signal,
  attempt = 1,
  onReport: (progress: number, message?: string) => void = () => {},
): AgentContext {
  return {
    signal,
    attempt,
    idempotencyKey: "orch-1/root/t1",
    orchestrationId: "orch-1",
    level: "secondary",
    report: onReport,
    logger: silentLogger,
  };
}

import type { Logger } from "@echelon/core";

/** A task handed to a 12-Factor agent. */
export interface AgentTask {
  /** What to do, in words. */
  readonly description: string;
  /** The data to work on (JSON). */
  readonly input?: unknown;
  /** Id of the task, when it comes from a plan. */
  readonly taskId?: string;
  /** Free-form metadata (JSON). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** What {@link BaseAgent.executeTask} gets besides the task. */
export interface TaskRunContext {
  /** Aborted on timeout or cancellation; pass it to every wait and tool call. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Stable across retries of one task: use it to make side effects idempotent. */
  readonly idempotencyKey: string;
  /** Orchestration the task belongs to, or `null` when run directly. */
  readonly orchestrationId: string | null;
  /** Logger. */
  readonly logger: Logger;
  /** Reports progress in 0..1 (clamped), with an optional message. */
  report(progress: number, message?: string): void;
}

/** Options of {@link BaseAgent.run}. */
export interface RunTaskOptions {
  /** Aborts the task (timeout, cancellation). Default: never aborted. */
  readonly signal?: AbortSignal;
  /** Attempt number, 1 for the first. Default 1. */
  readonly attempt?: number;
  /** Key stable across retries. Default `<agent name>/<taskId or description>`. */
  readonly idempotencyKey?: string;
  /** Orchestration the task belongs to. Default `null` (run directly). */
  readonly orchestrationId?: string;
  /** Logger. Default: silent. */
  readonly logger?: Logger;
  /** Called on every progress report. */
  readonly onProgress?: (progress: number, message?: string) => void;
}

/** Kind of a {@link ContextEntry}. */
export type ContextEntryKind = "task" | "tool_call" | "tool_result" | "note";

/** One entry of an agent's own context window (12-Factor: own your context). JSON. */
export interface ContextEntry {
  /** What the entry records. */
  readonly kind: ContextEntryKind;
  /** Wall-clock time, epoch milliseconds. */
  readonly at: number;
  /** The recorded data (JSON): the task, the tool call's arguments, the tool's outcome, a note. */
  readonly data: unknown;
}

/** Progress of an agent: the last report. */
export interface AgentProgress {
  /** 0..1. */
  readonly progress: number;
  /** The message of the last report, or `null`. */
  readonly message: string | null;
}

/** A JSON snapshot of an agent's state, context and progress, from `checkpoint()`. */
export interface AgentCheckpoint<S = Record<string, unknown>> {
  /** Name of the agent that wrote it; `restore` refuses another agent's checkpoint. */
  readonly agent: string;
  /** Format version. */
  readonly version: 1;
  /** The agent's own state. */
  readonly state: S;
  /** The context window, oldest first. */
  readonly context: readonly ContextEntry[];
  /** The last progress report. */
  readonly progress: AgentProgress;
}

/** Options of {@link BaseAgent}. */
export interface BaseAgentOptions {
  /** Name of the agent (also of checkpoints). */
  readonly name: string;
  /** What the agent does. */
  readonly description?: string;
  /** Most context entries kept (oldest dropped first). Default 200. */
  readonly maxContextEntries?: number;
}

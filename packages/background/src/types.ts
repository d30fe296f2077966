import type {
  Agent,
  AgentFunction,
  AgentType,
  EchelonErrorJson,
  HierarchicalOrchestrator,
  Logger,
  TaskSpec,
} from "@echelon/core";

/**
 * State of a background run:
 * `queued` (waiting for a slot) → `running` → `completed` | `failed` | `terminated`;
 * `paused` (a queued run that will not start, or an orchestration that dispatches no new leaves).
 */
export type BackgroundState = "queued" | "running" | "paused" | "completed" | "failed" | "terminated";

/** What a background run executes. */
export type BackgroundKind = "agent" | "orchestration";

/** A snapshot of one background run. Plain JSON. */
export interface BackgroundStatus {
  /** Id of the run (also the orchestration id, for an orchestration). */
  readonly id: string;
  /** Whether it runs one agent task or a whole orchestration. */
  readonly kind: BackgroundKind;
  /** Agent type or agent id, or the orchestration's task description. */
  readonly name: string;
  /** Where the run is in its lifecycle. */
  readonly state: BackgroundState;
  /** 0–100: from the agent's `ctx.report`, or the orchestration's status. 100 once completed. */
  readonly progress: number;
  /** The last progress message, if any. */
  readonly message: string | null;
  /** When it was spawned, epoch milliseconds. */
  readonly createdAt: number;
  /** When it started running, epoch milliseconds; `null` while queued. */
  readonly startedAt: number | null;
  /** When it ended (completed, failed or terminated), epoch milliseconds; `null` until then. */
  readonly endedAt: number | null;
  /**
   * The agent's output, or the whole `OrchestrationResult` (also when the orchestration failed
   * or was cancelled, so what completed is not lost); `null` otherwise.
   */
  readonly result: unknown;
  /** The failure, coded, when failed or terminated. */
  readonly error: EchelonErrorJson | null;
}

/** The orchestrator features the executor uses; a `HierarchicalOrchestrator` provides them all. */
export type BackgroundOrchestrator = Pick<
  HierarchicalOrchestrator,
  | "orchestrateComplexTask"
  | "getOrchestrationStatus"
  | "pauseOrchestration"
  | "resumeOrchestration"
  | "events"
>;

/** Options of {@link BackgroundAgentExecutor}. */
export interface BackgroundExecutorOptions {
  /** Most runs executing at once (paused orchestrations count); the rest wait in `queued`. Default 4. */
  readonly maxParallel?: number;
  /** Orchestrator that runs `orchestration` requests. */
  readonly orchestrator?: BackgroundOrchestrator;
  /** Finished runs kept for `getAgentStatus`, oldest forgotten first. Default 1000. */
  readonly retainFinished?: number;
  /** Logger (listener failures, agent logs). */
  readonly logger?: Logger;
  /**
   * How long a run's work may ignore an abort (terminate, shutdown, `timeoutMs`) before the
   * run is ended without it: its slot is freed, a late answer is discarded, and an agent the
   * executor spawned from an AgentType is disposed (which kills its process or thread).
   * Default 1000 ms, like the orchestrator's `abortGraceMs`.
   */
  readonly terminateGraceMs?: number;
}

/** A request to run something in the background. Give `agent` or `orchestration` (or `task` alone for an orchestration). */
export interface SpawnRequest {
  /** The agent: a ready {@link Agent}, an {@link AgentType} (one instance is spawned and disposed after), or a function. */
  readonly agent?: Agent | AgentType | AgentFunction;
  /** The orchestration: text or a TaskSpec tree, run on the executor's orchestrator. */
  readonly orchestration?: TaskSpec | string;
  /** The task: for an agent, its description (text) or a TaskSpec (description and input); alone, the orchestration. */
  readonly task?: TaskSpec | string;
  /** Data for the work: the agent's `work.input`, or the orchestration root's input. JSON. */
  readonly workflowData?: unknown;
  /** Id of the run; generated when absent. Also the orchestration id. */
  readonly id?: string;
  /** Aborts the run after this many milliseconds of running (`ECHELON_TASK_TIMEOUT`). */
  readonly timeoutMs?: number;
}

/** Options of {@link BackgroundAgentExecutor.terminateAgent}. */
export interface TerminateOptions {
  /** Stop waiting for the run: it is `terminated` at once and its slot is freed, whatever the work does. */
  readonly force?: boolean;
  /** Grace period for this call, in place of the executor's `terminateGraceMs`. */
  readonly graceMs?: number;
}

/** Events of the executor, each with the run's status after the change. */
export interface BackgroundEventMap {
  /** A run was spawned and waits for a slot. */
  "background:queued": BackgroundStatus;
  /** A run got a slot and started. */
  "background:started": BackgroundStatus;
  /** A running run reported progress. */
  "background:progressed": BackgroundStatus;
  /** A run was paused. */
  "background:paused": BackgroundStatus;
  /** A paused run was resumed. */
  "background:resumed": BackgroundStatus;
  /** A run completed; `result` holds its output. */
  "background:completed": BackgroundStatus;
  /** A run failed (or timed out); `error` holds the coded failure. */
  "background:failed": BackgroundStatus;
  /** A run was terminated. */
  "background:terminated": BackgroundStatus;
}

/** An executor event name. */
export type BackgroundEventName = keyof BackgroundEventMap;

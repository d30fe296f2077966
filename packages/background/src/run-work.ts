import {
  type Agent,
  type AgentContext,
  type AgentWork,
  CoreErrorCode,
  type EchelonErrorJson,
  type Logger,
  type TaskSpec,
} from "@echelon/core";
import { assertJsonSerializable, isAgent, isAgentType } from "@echelon/core/plugin";
import { codedFailure } from "./failure.js";
import type { BackgroundOrchestrator, SpawnRequest } from "./types.js";

/** How the work of a background run ended. */
export type WorkOutcome =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly error: EchelonErrorJson;
      readonly cancelled: boolean;
      readonly value?: unknown;
    };

/** Reports progress 0..1 of a running agent task. */
export type ProgressSink = (progress: number, message?: string) => void;

function failed(error: unknown, signal: AbortSignal): WorkOutcome {
  const coded = codedFailure(error);
  const cancelled = signal.aborted && coded.code === CoreErrorCode.CANCELLED;
  return { ok: false, error: coded.toJSON(), cancelled };
}

/** The `work` handed to a background agent. */
export function agentWork(id: string, request: SpawnRequest): AgentWork {
  const task = request.task;
  const spec = typeof task === "object" && task !== null ? task : undefined;
  return {
    taskId: id,
    nodePath: id,
    description: typeof task === "string" ? task : (spec?.description ?? ""),
    input: request.workflowData !== undefined ? request.workflowData : (spec?.input ?? null),
    capabilities: [...(spec?.capabilities ?? [])],
    priority: spec?.priority ?? 0,
    metadata: { ...(spec?.metadata ?? {}) },
  };
}

/** The task handed to the orchestrator: the spec or text, with `workflowData` as the root input. */
export function orchestrationTask(request: SpawnRequest): TaskSpec | string {
  const task = (request.orchestration ?? request.task)!;
  if (request.workflowData === undefined) return task;
  return typeof task === "string"
    ? { description: task, input: request.workflowData }
    : { ...task, input: request.workflowData };
}

/** What {@link runAgentWork} needs. */
export interface AgentWorkOptions {
  readonly id: string;
  readonly request: SpawnRequest;
  readonly signal: AbortSignal;
  readonly report: ProgressSink;
  readonly logger: Logger;
  /**
   * Called with the disposer of an agent spawned from an AgentType, before its work starts:
   * the executor calls it when the work ignores an abort past the grace period. It runs the
   * agent's `dispose()` at most once, whoever calls it first.
   */
  readonly onSpawned?: (dispose: () => Promise<void>) => void;
}

/**
 * Runs one agent task to its end: spawns an instance when given a type (disposed after),
 * wraps a function, checks the output is JSON.
 */
export async function runAgentWork(options: AgentWorkOptions): Promise<WorkOutcome> {
  const { id, request, signal, report, logger } = options;
  const given = request.agent!;
  let agent: Agent;
  let dispose: (() => Promise<void>) | null = null;
  try {
    if (isAgent(given)) agent = given;
    else if (isAgentType(given)) {
      const spawned = await given.spawn(`${given.name}#${id}`, { level: "primary", levelIndex: 0, logger });
      agent = spawned;
      let disposal: Promise<void> | undefined;
      dispose = () => {
        disposal ??= Promise.resolve(spawned.dispose?.()).then(() => undefined);
        return disposal;
      };
      options.onSpawned?.(dispose);
    } else {
      agent = { id, type: "function", capabilities: [], capacity: 1, execute: async (w, c) => given(w, c) };
    }
  } catch (error) {
    return failed(error, signal);
  }
  const context: AgentContext = {
    signal,
    attempt: 1,
    idempotencyKey: `background/${id}`,
    orchestrationId: id,
    level: "primary",
    report,
    logger,
  };
  try {
    const value = await agent.execute(agentWork(id, request), context);
    assertJsonSerializable(value, `output of background agent "${id}"`);
    return { ok: true, value };
  } catch (error) {
    return failed(error, signal);
  } finally {
    if (dispose !== null) {
      try {
        await dispose();
      } catch (error) {
        logger.warn("background agent dispose failed", { id, message: (error as Error).message });
      }
    }
  }
}

/** Runs one orchestration to its end on `orchestrator`. */
export async function runOrchestrationWork(
  id: string,
  request: SpawnRequest,
  orchestrator: BackgroundOrchestrator,
  signal: AbortSignal,
): Promise<WorkOutcome> {
  try {
    const result = await orchestrator.orchestrateComplexTask(orchestrationTask(request), {
      orchestrationId: id,
      signal,
    });
    if (result.success) return { ok: true, value: result };
    const error = result.error ?? {
      name: "EchelonError" as const,
      code: CoreErrorCode.TASK_FAILED,
      message: result.errorMessage ?? "The orchestration failed.",
    };
    return { ok: false, error, cancelled: result.state === "cancelled", value: result };
  } catch (error) {
    return failed(error, signal);
  }
}

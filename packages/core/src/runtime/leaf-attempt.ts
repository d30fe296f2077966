import type { AgentContext, AgentWork } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, isEchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { TaskKind } from "../events/event-map.js";
import type { LevelPool } from "../hierarchy/level-pool.js";
import { releaseWhenSettled } from "../hierarchy/settle.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { PlanNode } from "../model/task.js";
import { abortError, allowManyListeners, linkedController, raceAbort } from "../util/abort.js";
import { assertJsonSerializable } from "../util/json.js";
import type { Logger } from "../util/logger.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** A failed attempt: the coded error and when the attempt ended. */
export class AttemptFailure {
  constructor(
    readonly error: EchelonError,
    readonly endedAt: number,
    readonly agentId: string,
  ) {}
}

/** Everything one attempt needs. */
export interface AttemptCall {
  readonly node: PlanNode;
  readonly path: string;
  readonly kind: TaskKind;
  readonly level: string;
  readonly work: AgentWork;
  readonly signal: AbortSignal;
  readonly timeoutMs: number | null;
  readonly attempt: number;
}

/**
 * Runs one attempt of a leaf on a leased agent: records `task:started`, applies the timeout by
 * aborting the agent's signal, releases the slot (or keeps it until an aborted agent's work
 * settles), checks the output and records `task:completed`.
 *
 * @returns the output, or an {@link AttemptFailure} (the caller records how the task goes on)
 */
export async function runAttempt(
  run: OrchestrationRun,
  pool: LevelPool,
  agent: PooledAgent,
  call: AttemptCall,
): Promise<unknown> {
  const { path, kind, signal, timeoutMs, attempt, node } = call;
  const started = performance.now();
  run.recorder.publish({
    type: "task:started",
    orchestrationId: run.id,
    nodePath: path,
    ts: started,
    taskId: node.id,
    kind,
    agentId: agent.agentId,
    agentType: agent.typeName,
    level: call.level,
    attempt,
    pattern: null,
  });
  // One attempt, inline (no extra async frame or outcome object on the hot path).
  const link = timeoutMs === null ? null : linkedController(signal);
  const attemptSignal = link?.signal ?? signal;
  const timer =
    link === null ? null : setTimeout(timeOut, timeoutMs!, link.controller, path, timeoutMs!, attempt);
  allowManyListeners(attemptSignal);
  run.meter.leafStarted(node.depth, agent.agentId, agent.typeName);
  let pending: Promise<unknown>;
  try {
    pending = Promise.resolve(
      agent.agent.execute(call.work, new LeafContext(run, path, node.id, attemptSignal, attempt, call.level)),
    );
  } catch (error) {
    pending = Promise.reject(error);
  }
  try {
    const output = await raceAbort(pending, attemptSignal);
    const ended = performance.now();
    run.meter.leafEnded();
    pool.release(agent, ended);
    try {
      assertJsonSerializable(output, `output of task "${path}"`);
    } catch (error) {
      return new AttemptFailure(
        toEchelonError(error, CoreErrorCode.RESULT_NOT_SERIALIZABLE),
        ended,
        agent.agentId,
      );
    }
    run.recorder.publish({
      type: "task:completed",
      orchestrationId: run.id,
      nodePath: path,
      ts: ended,
      taskId: node.id,
      kind,
      agentId: agent.agentId,
      output,
      durationMs: ended - started,
      attempts: attempt,
    });
    // A durable journal: the leaf counts as done only once its record is committed.
    if (run.recorder.durable) {
      try {
        await run.recorder.commit();
      } catch (error) {
        return new AttemptFailure(
          toEchelonError(error, CoreErrorCode.STORE_WRITE_FAILED),
          ended,
          agent.agentId,
        );
      }
    }
    return output;
  } catch (error) {
    const ended = performance.now();
    run.meter.leafEnded();
    if (attemptSignal.aborted) {
      releaseWhenSettled(pool, agent, pending, run.runtime.abortGraceMs);
      return new AttemptFailure(abortError(attemptSignal), ended, agent.agentId);
    }
    pool.release(agent, ended);
    const failure = isEchelonError(error)
      ? error
      : toEchelonError(
          error,
          CoreErrorCode.TASK_FAILED,
          `Task "${path}" failed on agent "${agent.agentId}": ${error instanceof Error ? error.message : String(error)}`,
        );
    return new AttemptFailure(failure, ended, agent.agentId);
  } finally {
    if (timer !== null) clearTimeout(timer);
    link?.dispose();
  }
}

/** The context handed to an agent for one attempt; a class so no closure is allocated per attempt. */
class LeafContext implements AgentContext {
  constructor(
    private readonly run: OrchestrationRun,
    private readonly path: string,
    private readonly taskId: string,
    readonly signal: AbortSignal,
    readonly attempt: number,
    readonly level: string,
  ) {}

  get idempotencyKey(): string {
    return `${this.run.id}/${this.path}`;
  }

  get orchestrationId(): string {
    return this.run.id;
  }

  get logger(): Logger {
    return this.run.runtime.logger;
  }

  stopOrchestration(error: EchelonError): void {
    this.run.stop(error);
  }

  report(progress: number, message?: string): void {
    this.run.recorder.record("task:progressed", this.path, {
      taskId: this.taskId,
      progress: Math.max(0, Math.min(1, Number(progress) || 0)),
      ...(message !== undefined ? { message: String(message) } : {}),
    });
  }
}

/** Aborts an attempt that ran past its timeout (a named function: no closure per attempt). */
function timeOut(controller: AbortController, path: string, timeoutMs: number, attempt: number): void {
  controller.abort(
    new EchelonError(
      CoreErrorCode.TASK_TIMEOUT,
      `Task "${path}" timed out after ${timeoutMs} ms (attempt ${attempt}). Raise timeoutMs or make the agent faster.`,
      { details: { nodePath: path, timeoutMs, attempt } },
    ),
  );
}

import type { AgentContext } from "../agents/agent.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, isEchelonError, toEchelonError } from "../errors/echelon-error.js";
import { isNonRetryable } from "../errors/non-retryable.js";
import type { TaskKind } from "../events/event-map.js";
import type { LevelPool } from "../hierarchy/level-pool.js";
import { releaseWhenSettled } from "../hierarchy/settle.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import { AbortRace, abortError, allowManyListeners, linkedController, raceAbort } from "../util/abort.js";
import { assertJsonOutput } from "../util/json.js";
import type { Logger } from "../util/logger.js";
import type { LeafCall } from "./leaf-runner.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** A failed attempt: the coded error and when the attempt ended. */
export class AttemptFailure {
  constructor(
    readonly error: EchelonError,
    readonly endedAt: number,
    readonly agentId: string,
  ) {}
}

/**
 * Runs one attempt of a leaf on a leased agent: records `task:started`, applies the timeout by
 * aborting the agent's signal, releases the slot (or keeps it until an aborted agent's work
 * settles), checks the output and records `task:completed`. A failure that ends the leaf (a
 * cancel, a failure that cannot be retried, the last attempt's) is recorded and thrown here, so
 * a leaf with one attempt runs in this one async frame.
 *
 * @returns the output, or an {@link AttemptFailure} when another attempt follows (the caller
 *   records the retry)
 * @throws EchelonError coded: the failure that ends the leaf, or `ECHELON_CANCELLED`
 */
export async function runAttempt(
  run: OrchestrationRun,
  leaf: LeafCall,
  agent: PooledAgent,
  attempt: number,
): Promise<unknown> {
  const { path, kind, node, pool, timeoutMs } = leaf;
  const signal = leaf.call.signal;
  if (signal.aborted) {
    // Aborted between the grant and now: the work must not start (checked right before it would).
    pool.release(agent);
    const cancelled = abortError(signal);
    run.recorder.record("task:cancelled", path, { taskId: node.id, kind, reason: cancelled.message });
    throw cancelled;
  }
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
    level: leaf.level,
    attempt,
    pattern: null,
  });
  // One attempt, inline (no extra async frame or outcome object on the hot path).
  const link = timeoutMs === null ? null : linkedController(signal);
  const attemptSignal = link?.signal ?? signal;
  const timer =
    link === null ? null : setTimeout(timeOut, timeoutMs!, link.controller, path, timeoutMs!, attempt);
  allowManyListeners(attemptSignal);
  run.meter.leafStarted(node.depth, agent);
  let pending: Promise<unknown>;
  try {
    pending = Promise.resolve(
      agent.agent.execute(leaf.work, new LeafContext(run, path, node.id, attemptSignal, attempt, leaf.level)),
    );
  } catch (error) {
    pending = Promise.reject(error);
  }
  let output: unknown;
  const race = attemptSignal.aborted ? null : new AbortRace(pending, attemptSignal);
  try {
    output = await (race === null ? raceAbort(pending, attemptSignal) : race.promise);
  } catch (error) {
    return concluded(run, leaf, attemptFailed(run, leaf, agent, pending, attemptSignal, error), attempt);
  } finally {
    race?.end();
    if (timer !== null) clearTimeout(timer);
    link?.dispose();
  }
  const ended = performance.now();
  run.meter.leafEnded();
  pool.release(agent, ended);
  try {
    assertJsonOutput(output, `output of task "${path}"`);
  } catch (error) {
    const failure = toEchelonError(error, CoreErrorCode.RESULT_NOT_SERIALIZABLE);
    return concluded(run, leaf, new AttemptFailure(failure, ended, agent.agentId), attempt);
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
      const failure = toEchelonError(error, CoreErrorCode.STORE_WRITE_FAILED);
      return concluded(run, leaf, new AttemptFailure(failure, ended, agent.agentId), attempt);
    }
  }
  return output;
}

/** The failure of an attempt whose agent threw or rejected, or whose signal aborted; frees the slot. */
function attemptFailed(
  run: OrchestrationRun,
  leaf: LeafCall,
  agent: PooledAgent,
  pending: Promise<unknown>,
  attemptSignal: AbortSignal,
  error: unknown,
): AttemptFailure {
  const ended = performance.now();
  run.meter.leafEnded();
  if (attemptSignal.aborted) {
    releaseWhenSettled(leaf.pool, agent, pending, run.runtime.abortGraceMs);
    return new AttemptFailure(abortError(attemptSignal), ended, agent.agentId);
  }
  leaf.pool.release(agent, ended);
  const coded = isEchelonError(error)
    ? error
    : toEchelonError(
        error,
        CoreErrorCode.TASK_FAILED,
        `Task "${leaf.path}" failed on agent "${agent.agentId}": ${error instanceof Error ? error.message : String(error)}`,
      );
  return new AttemptFailure(coded, ended, agent.agentId);
}

/** The failure back when another attempt follows; recorded and thrown when it ends the leaf. */
function concluded(
  run: OrchestrationRun,
  leaf: LeafCall,
  outcome: AttemptFailure,
  attempt: number,
): AttemptFailure {
  const failure = concludeFailure(run, leaf, outcome, attempt);
  if (failure !== null) throw failure;
  return outcome;
}

/**
 * False for failures another attempt cannot fix: output that can never serialise, and errors
 * that say "do not retry" (`NonRetryableError`, or `retryable: false` on the error or its details,
 * also when a plain error an agent threw was wrapped).
 */
function retryable(failure: EchelonError): boolean {
  return (
    failure.code !== CoreErrorCode.RESULT_NOT_SERIALIZABLE &&
    !isNonRetryable(failure) &&
    !isNonRetryable(failure.cause)
  );
}

/**
 * How an attempt's failure ends the leaf: records `task:cancelled` or `task:failed` and returns
 * the error to throw, or returns `null` when another attempt follows (the caller records the retry).
 */
function concludeFailure(
  run: OrchestrationRun,
  leaf: LeafCall,
  outcome: AttemptFailure,
  attempt: number,
): EchelonError | null {
  const failure = outcome.error;
  const { node, path, kind } = leaf;
  // Aborted from above (cancel, a stop, a pattern giving up on it): cancelled, whatever the reason's code.
  if (failure.code === CoreErrorCode.CANCELLED || leaf.call.signal.aborted) {
    run.recorder.record(
      "task:cancelled",
      path,
      { taskId: node.id, kind, reason: failure.message },
      outcome.endedAt,
    );
    return failure;
  }
  if (!retryable(failure) || attempt >= leaf.attempts) {
    run.recorder.record(
      "task:failed",
      path,
      { taskId: node.id, kind, agentId: outcome.agentId, error: failure.toJSON(), attempts: attempt },
      outcome.endedAt,
    );
    return failure;
  }
  return null;
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

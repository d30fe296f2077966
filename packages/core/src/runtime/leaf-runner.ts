import type { AgentWork } from "../agents/agent.js";
import type { TaskRequest } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { type EchelonError, toEchelonError } from "../errors/echelon-error.js";
import { isNonRetryable } from "../errors/non-retryable.js";
import type { TaskKind } from "../events/event-map.js";
import type { LevelPool } from "../hierarchy/level-pool.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { PlanNode, RetryPolicy } from "../model/task.js";
import { abortableDelay, abortError } from "../util/abort.js";
import { AttemptFailure, runAttempt } from "./leaf-attempt.js";
import type { NodeCall } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";

function backoffDelay(policy: RetryPolicy | null, attempt: number): number {
  const base = policy?.backoffMs ?? 100;
  const factor = policy?.factor ?? 2;
  const max = policy?.maxBackoffMs ?? 30_000;
  return Math.min(max, base * factor ** (attempt - 1));
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
 * Runs a leaf (or a compensation) on an agent: waits for a slot at the node's level (pausable,
 * cancellable), runs attempts with the timeout and retry policy, and records how the task ends.
 *
 * @returns the agent's output
 * @throws EchelonError coded: the last attempt's failure, or `ECHELON_CANCELLED`
 */
export async function runLeaf(
  run: OrchestrationRun,
  node: PlanNode,
  call: NodeCall,
  kind: TaskKind,
): Promise<unknown> {
  const { path, signal } = call;
  const runtime = run.runtime;
  const level = runtime.levels[node.depth]!;
  const pool = runtime.hierarchy.pool(node.depth);
  const policy = node.retry ?? runtime.defaultRetry;
  const attempts = Math.max(1, policy?.attempts ?? 1);
  run.meter.reached(node.depth);
  const task: TaskRequest = {
    orchestrationId: run.id,
    taskId: node.id,
    nodePath: path,
    level,
    capabilities: node.capabilities,
    priority: node.priority,
    enqueuedAt: performance.now(),
    metadata: node.metadata,
  };
  const work: AgentWork = {
    taskId: node.id,
    nodePath: path,
    description: node.description,
    input: call.input,
    capabilities: node.capabilities,
    priority: node.priority,
    metadata: node.metadata,
  };
  const timeoutMs = node.timeoutMs ?? runtime.defaultTimeoutMs;
  for (let attempt = 1; ; attempt++) {
    const leased = leaseAgent(run, pool, { node, path, kind, level, task, call, attempt });
    const agent = leased instanceof Promise ? await leased : leased;
    if (signal.aborted) {
      // Aborted between the grant and now: the work must not start (checked right before it would).
      pool.release(agent);
      const cancelled = abortError(signal);
      run.recorder.record("task:cancelled", path, { taskId: node.id, kind, reason: cancelled.message });
      throw cancelled;
    }
    const outcome = await runAttempt(run, pool, agent, {
      node,
      path,
      kind,
      level,
      work,
      signal,
      timeoutMs,
      attempt,
    });
    if (!(outcome instanceof AttemptFailure)) return outcome;
    const failure = outcome.error;
    // Aborted from above (cancel, a stop, a pattern giving up on it): cancelled, whatever the reason's code.
    if (failure.code === CoreErrorCode.CANCELLED || signal.aborted) {
      run.recorder.record(
        "task:cancelled",
        path,
        { taskId: node.id, kind, reason: failure.message },
        outcome.endedAt,
      );
      throw failure;
    }
    if (!retryable(failure) || attempt >= attempts) {
      run.recorder.record(
        "task:failed",
        path,
        { taskId: node.id, kind, agentId: outcome.agentId, error: failure.toJSON(), attempts: attempt },
        outcome.endedAt,
      );
      throw failure;
    }
    const delayMs = backoffDelay(policy, attempt);
    run.recorder.record(
      "task:retrying",
      path,
      { taskId: node.id, attempt, delayMs, error: failure.toJSON() },
      outcome.endedAt,
    );
    try {
      await abortableDelay(delayMs, signal);
    } catch (error) {
      const cancelled = toEchelonError(error, CoreErrorCode.CANCELLED);
      run.recorder.record("task:cancelled", path, { taskId: node.id, kind, reason: cancelled.message });
      throw cancelled;
    }
  }
}

interface LeaseCall {
  readonly node: PlanNode;
  readonly path: string;
  readonly kind: TaskKind;
  readonly level: string;
  readonly task: TaskRequest;
  readonly call: NodeCall;
  readonly attempt: number;
}

/**
 * Waits (pausable, cancellable) for an agent slot; records `task:queued`, and how a failed wait
 * ends the task. Returns the agent itself when a slot is free now (no promise, no async frame:
 * the hot path of leaf dispatch).
 */
function leaseAgent(
  run: OrchestrationRun,
  pool: LevelPool,
  lease: LeaseCall,
): PooledAgent | Promise<PooledAgent> {
  if (lease.kind !== "compensation") {
    const paused = run.control.waitIfPaused(lease.call.signal);
    if (paused !== undefined) {
      return paused.then(
        () => leaseNow(run, pool, lease),
        (error: unknown) => {
          throw leaseFailed(run, lease, error);
        },
      );
    }
  }
  return leaseNow(run, pool, lease);
}

function leaseNow(
  run: OrchestrationRun,
  pool: LevelPool,
  lease: LeaseCall,
): PooledAgent | Promise<PooledAgent> {
  const { node, path, kind, level, call } = lease;
  let granted: PooledAgent | Promise<PooledAgent>;
  try {
    granted = pool.lease({
      role: "worker",
      task: lease.task,
      strategy: call.strategy,
      signal: call.signal,
      onWait: () => run.recorder.record("task:queued", path, { taskId: node.id, kind, level }),
    });
  } catch (error) {
    throw leaseFailed(run, lease, error);
  }
  if (!(granted instanceof Promise)) return granted;
  return granted.then(undefined, (error: unknown) => {
    throw leaseFailed(run, lease, error);
  });
}

/** Records how a failed wait for a slot ends the task, and returns the coded error. */
function leaseFailed(run: OrchestrationRun, lease: LeaseCall, error: unknown): EchelonError {
  const { node, path, kind } = lease;
  const signal = lease.call.signal;
  const failure = signal.aborted ? abortError(signal) : toEchelonError(error, CoreErrorCode.TASK_FAILED);
  if (failure.code === CoreErrorCode.CANCELLED) {
    run.recorder.record("task:cancelled", path, { taskId: node.id, kind, reason: failure.message });
  } else {
    run.recorder.record("task:failed", path, {
      taskId: node.id,
      kind,
      agentId: null,
      error: failure.toJSON(),
      attempts: lease.attempt,
    });
  }
  return failure;
}

import type { AgentContext, AgentWork } from "../agents/agent.js";
import type { Logger } from "../util/logger.js";
import type { DistributionStrategy, TaskRequest } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, isEchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { TaskKind } from "../events/event-map.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { PlanNode } from "../model/task.js";
import {
  abortableDelay,
  abortError,
  allowManyListeners,
  linkedController,
  raceAbort,
} from "../util/abort.js";
import { assertJsonSerializable } from "../util/json.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** How one leaf invocation runs. Internal. */
export interface LeafCall {
  readonly node: PlanNode;
  readonly path: string;
  readonly input: unknown;
  readonly signal: AbortSignal;
  readonly strategy: DistributionStrategy;
  readonly kind: TaskKind;
}

function backoffDelay(node: PlanNode, run: OrchestrationRun, attempt: number): number {
  const policy = node.retry ?? run.runtime.defaultRetry;
  const base = policy?.backoffMs ?? 100;
  const factor = policy?.factor ?? 2;
  const max = policy?.maxBackoffMs ?? 30_000;
  return Math.min(max, base * factor ** (attempt - 1));
}

/**
 * Runs a leaf on an agent: waits for a slot at the node's level (pausable, cancellable),
 * applies the per-attempt timeout by aborting the agent's signal, retries with backoff, and
 * records every step as an event. Returns the agent's output; throws a coded EchelonError.
 */
export async function runLeaf(run: OrchestrationRun, call: LeafCall): Promise<unknown> {
  const { node, path, signal, kind } = call;
  const runtime = run.runtime;
  const level = runtime.levels[node.depth]!;
  const pool = runtime.hierarchy.pool(node.depth);
  const attempts = Math.max(1, (node.retry ?? runtime.defaultRetry)?.attempts ?? 1);
  const timeoutMs = node.timeoutMs ?? runtime.defaultTimeoutMs;
  run.reached(node.depth);
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
  for (let attempt = 1; ; attempt++) {
    let agent: PooledAgent;
    try {
      if (kind !== "compensation") {
        const paused = run.waitIfPaused(signal);
        if (paused !== undefined) await paused;
      }
      const lease = pool.lease({
        role: "worker",
        task,
        strategy: call.strategy,
        signal,
        onWait: () => run.record("task:queued", path, { taskId: node.id, kind, level }),
      });
      agent = lease instanceof Promise ? await lease : lease;
    } catch (error) {
      const failure = signal.aborted ? abortError(signal) : toEchelonError(error, CoreErrorCode.TASK_FAILED);
      if (failure.code === CoreErrorCode.CANCELLED) {
        run.record("task:cancelled", path, { taskId: node.id, kind, reason: failure.message });
      } else {
        run.record("task:failed", path, {
          taskId: node.id,
          kind,
          agentId: null,
          error: failure.toJSON(),
          attempts: attempt,
        });
      }
      throw failure;
    }
    if (signal.aborted) {
      // Aborted between the grant and now: the work must not start.
      pool.release(agent);
      const cancelled = abortError(signal);
      run.record("task:cancelled", path, { taskId: node.id, kind, reason: cancelled.message });
      throw cancelled;
    }
    run.agentsUsed.add(agent.agentId);
    const started = performance.now();
    run.publish({
      type: "task:started",
      orchestrationId: run.id,
      nodePath: path,
      ts: started,
      taskId: node.id,
      kind,
      agentId: agent.agentId,
      agentType: agent.typeName,
      level,
      attempt,
      pattern: null,
    });
    // One attempt, inline (no extra async frame or outcome object on the hot path).
    const link = timeoutMs === null ? null : linkedController(signal);
    const attemptSignal = link?.signal ?? signal;
    const timer =
      link === null ? null : setTimeout(timeOut, timeoutMs!, link.controller, path, timeoutMs!, attempt);
    allowManyListeners(attemptSignal);
    const ctx = new LeafContext(run, path, node.id, attemptSignal, attempt, pool.name);
    run.leafStarted(node.depth, agent.typeName);
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(agent.agent.execute(work, ctx));
    } catch (error) {
      pending = Promise.reject(error);
    }
    let output: unknown;
    let failure: EchelonError | null = null;
    let ended = started;
    try {
      output = await raceAbort(pending, attemptSignal);
      ended = performance.now();
      run.leafEnded(path, ended - started);
      pool.release(agent, ended);
      try {
        assertJsonSerializable(output, `output of task "${path}"`);
      } catch (error) {
        failure = toEchelonError(error, CoreErrorCode.NOT_SERIALIZABLE);
      }
    } catch (error) {
      ended = performance.now();
      run.leafEnded(path, ended - started);
      if (attemptSignal.aborted) {
        releaseWhenSettled(pending, agent, pool, runtime.abortGraceMs);
        failure = abortError(attemptSignal);
      } else {
        pool.release(agent, ended);
        failure = isEchelonError(error)
          ? error
          : toEchelonError(
              error,
              CoreErrorCode.TASK_FAILED,
              `Task "${path}" failed on agent "${agent.agentId}": ${error instanceof Error ? error.message : String(error)}`,
            );
      }
    } finally {
      if (timer !== null) clearTimeout(timer);
      link?.dispose();
    }
    if (failure === null) {
      run.publish({
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
      return output;
    }
    // Aborted from above (cancel, a stop, a pattern giving up on it): cancelled, whatever the reason's code.
    if (failure.code === CoreErrorCode.CANCELLED || signal.aborted) {
      run.record("task:cancelled", path, { taskId: node.id, kind, reason: failure.message });
      throw failure;
    }
    // Not retried: output that can never serialise, and errors their raiser marked `details.retryable: false`.
    const retryable =
      failure.code !== CoreErrorCode.NOT_SERIALIZABLE &&
      failure.details.retryable !== false &&
      attempt < attempts;
    if (!retryable) {
      run.record("task:failed", path, {
        taskId: node.id,
        kind,
        agentId: agent.agentId,
        error: failure.toJSON(),
        attempts: attempt,
      });
      throw failure;
    }
    const delayMs = backoffDelay(node, run, attempt);
    run.record("task:retrying", path, { taskId: node.id, attempt, delayMs, error: failure.toJSON() });
    try {
      await abortableDelay(delayMs, signal);
    } catch (error) {
      const cancelled = toEchelonError(error, CoreErrorCode.CANCELLED);
      run.record("task:cancelled", path, { taskId: node.id, kind, reason: cancelled.message });
      throw cancelled;
    }
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
    this.run.record("task:progressed", this.path, {
      taskId: this.taskId,
      progress: Math.max(0, Math.min(1, Number(progress) || 0)),
      ...(message !== undefined ? { message } : {}),
    });
  }
}

/** Aborts an attempt that ran past its timeout (a named function: no closure per attempt). */
function timeOut(controller: AbortController, path: string, timeoutMs: number, attempt: number): void {
  controller.abort(
    new EchelonError(
      CoreErrorCode.TIMEOUT,
      `Task "${path}" timed out after ${timeoutMs} ms (attempt ${attempt}). Raise timeoutMs or make the agent faster.`,
      { details: { nodePath: path, timeoutMs, attempt } },
    ),
  );
}

/**
 * After an abort, the agent keeps its slot until its work settles. If it has not settled
 * within the grace period it ignored the abort: it is retired (its slot freed, `dispose`
 * called) and its late answer is discarded.
 */
function releaseWhenSettled(
  pending: Promise<unknown>,
  agent: PooledAgent,
  pool: { release(a: PooledAgent, now?: number): void; retire(a: PooledAgent, reason: string): void },
  graceMs: number,
): void {
  let settled = false;
  const timer = setTimeout(() => {
    if (!settled) pool.retire(agent, `ignored an abort for more than ${graceMs} ms`);
  }, graceMs);
  timer.unref?.();
  const done = () => {
    settled = true;
    clearTimeout(timer);
    pool.release(agent);
  };
  pending.then(done, done);
}

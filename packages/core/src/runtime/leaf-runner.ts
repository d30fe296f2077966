import type { AgentWork } from "../agents/agent.js";
import type { DistributionStrategy, TaskRequest } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { type EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { TaskKind } from "../events/event-map.js";
import type { LevelPool, LeaseRequest } from "../hierarchy/level-pool.js";
import type { Registered } from "../plugins/registrations.js";
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
 * Runs a leaf (or a compensation) on an agent: waits for a slot at the node's level (pausable,
 * cancellable), runs attempts with the timeout and retry policy, and records how the task ends.
 *
 * The common case (one attempt, a slot free now) runs in a single async frame: the attempt's.
 *
 * @returns the agent's output
 * @throws EchelonError coded: the last attempt's failure, or `ECHELON_CANCELLED`
 */
export function runLeaf(
  run: OrchestrationRun,
  node: PlanNode,
  call: NodeCall,
  kind: TaskKind,
): Promise<unknown> {
  const policy = node.retry ?? run.runtime.defaultRetry;
  const attempts = Math.max(1, policy?.attempts ?? 1);
  run.meter.reached(node.depth);
  let leaf: LeafCall;
  let leased: PooledAgent | Promise<PooledAgent>;
  // Not async: whatever throws here still reaches the caller as a rejection.
  try {
    leaf = new LeafCall(run, node, call, kind, attempts);
    leased = leaseAgent(run, leaf.pool, leaf, 1);
  } catch (error) {
    return Promise.reject(error);
  }
  if (attempts === 1 && !(leased instanceof Promise)) return runAttempt(run, leaf, leased, 1);
  return runAttempts(run, leaf, policy, leased);
}

/** The attempts of a leaf after the first lease: retries with backoff, or a slot waited for. */
async function runAttempts(
  run: OrchestrationRun,
  leaf: LeafCall,
  policy: RetryPolicy | null,
  firstLease: PooledAgent | Promise<PooledAgent>,
): Promise<unknown> {
  const { node, path, kind } = leaf;
  const signal = leaf.call.signal;
  for (let attempt = 1; ; attempt++) {
    const leased = attempt === 1 ? firstLease : leaseAgent(run, leaf.pool, leaf, attempt);
    const agent = leased instanceof Promise ? await leased : leased;
    const outcome = await runAttempt(run, leaf, agent, attempt);
    if (!(outcome instanceof AttemptFailure)) return outcome;
    const delayMs = backoffDelay(policy, attempt);
    run.recorder.record(
      "task:retrying",
      path,
      { taskId: node.id, attempt, delayMs, error: outcome.error.toJSON() },
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

/**
 * One leaf being run: its node, call, kind and level, and what the pool and the agent are handed
 * (the task request and the work, made on first use). One object per leaf, shared by its attempts.
 */
export class LeafCall implements LeaseRequest {
  readonly role = "worker";
  readonly path: string;
  readonly level: string;
  readonly pool: LevelPool;
  readonly timeoutMs: number | null;
  private taskRequest: TaskRequest | null = null;
  /** When the leaf first asked for a slot and had to wait (`task.enqueuedAt`), else `null`. */
  private waitingSince: number | null = null;
  private agentWork: AgentWork | null = null;

  constructor(
    private readonly run: OrchestrationRun,
    readonly node: PlanNode,
    readonly call: NodeCall,
    readonly kind: TaskKind,
    readonly attempts: number,
  ) {
    const runtime = run.runtime;
    this.path = call.path;
    this.level = runtime.levels[node.depth]!;
    this.pool = runtime.hierarchy.pool(node.depth);
    this.timeoutMs = node.timeoutMs ?? runtime.defaultTimeoutMs;
  }

  get strategy(): Registered<DistributionStrategy> {
    return this.call.strategy;
  }

  get signal(): AbortSignal {
    return this.call.signal;
  }

  get capabilities(): readonly string[] {
    return this.node.capabilities;
  }

  /** The lease has to wait for a slot. */
  onWait(): void {
    this.waitingSince ??= performance.now();
    this.run.recorder.record("task:queued", this.path, {
      taskId: this.node.id,
      kind: this.kind,
      level: this.level,
    });
  }

  /** What the pool and the strategy see. */
  get task(): TaskRequest {
    const node = this.node;
    this.taskRequest ??= {
      orchestrationId: this.run.id,
      taskId: node.id,
      nodePath: this.path,
      level: this.level,
      capabilities: node.capabilities,
      priority: node.priority,
      // A request granted at once is asked for now: made lazily, when a strategy needs it.
      enqueuedAt: this.waitingSince ?? performance.now(),
      metadata: node.metadata,
    };
    return this.taskRequest;
  }

  /** What the agent is handed. */
  get work(): AgentWork {
    const node = this.node;
    this.agentWork ??= {
      taskId: node.id,
      nodePath: this.path,
      description: node.description,
      input: this.call.input,
      capabilities: node.capabilities,
      priority: node.priority,
      metadata: node.metadata,
    };
    return this.agentWork;
  }
}

/**
 * Waits (pausable, cancellable) for an agent slot; records `task:queued`, and how a failed wait
 * ends the task. Returns the agent itself when a slot is free now (no promise, no async frame:
 * the hot path of leaf dispatch).
 */
function leaseAgent(
  run: OrchestrationRun,
  pool: LevelPool,
  lease: LeafCall,
  attempt: number,
): PooledAgent | Promise<PooledAgent> {
  if (lease.kind !== "compensation") {
    const paused = run.control.waitIfPaused(lease.call.signal);
    if (paused !== undefined) {
      return paused.then(
        () => leaseNow(run, pool, lease, attempt),
        (error: unknown) => {
          throw leaseFailed(run, lease, error, attempt);
        },
      );
    }
  }
  return leaseNow(run, pool, lease, attempt);
}

function leaseNow(
  run: OrchestrationRun,
  pool: LevelPool,
  lease: LeafCall,
  attempt: number,
): PooledAgent | Promise<PooledAgent> {
  let granted: PooledAgent | Promise<PooledAgent>;
  try {
    granted = pool.lease(lease);
  } catch (error) {
    throw leaseFailed(run, lease, error, attempt);
  }
  if (!(granted instanceof Promise)) return granted;
  return granted.then(undefined, (error: unknown) => {
    throw leaseFailed(run, lease, error, attempt);
  });
}

/** Records how a failed wait for a slot ends the task, and returns the coded error. */
function leaseFailed(run: OrchestrationRun, lease: LeafCall, error: unknown, attempt: number): EchelonError {
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
      attempts: attempt,
    });
  }
  return failure;
}

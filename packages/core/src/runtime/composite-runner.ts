import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { PlanNode } from "../model/task.js";
import type { PatternOutcome } from "../patterns/pattern.js";
import { abortError } from "../util/abort.js";
import { assertJsonOutput } from "../util/json.js";
import type { NodeCall } from "./node-dispatcher.js";
import type { OrchestrationRun } from "./orchestration-run.js";
import { NodePatternContext } from "./pattern-context.js";

/**
 * Runs a composite node: takes a coordinator slot at the node's level, runs the node's pattern
 * on its children through a {@link NodePatternContext}, checks the outcome and records every
 * step. The root's outcome is kept on the run for `PatternExecutor`.
 *
 * @returns the pattern's result
 * @throws EchelonError the pattern's failure (`ECHELON_PATTERN_FAILED` when it broke its contract)
 */
export async function runComposite(run: OrchestrationRun, node: PlanNode, call: NodeCall): Promise<unknown> {
  const { path, signal } = call;
  const { runtime, recorder } = run;
  const level = runtime.levels[node.depth]!;
  const registered = runtime.patterns.get(node.pattern!);
  run.meter.reached(node.depth);
  if (registered === undefined) {
    const error = new EchelonError(
      CoreErrorCode.PATTERN_UNKNOWN,
      `Pattern "${node.pattern}" is not registered.`,
    );
    recorder.record("task:failed", path, {
      taskId: node.id,
      kind: "composite",
      agentId: null,
      error: error.toJSON(),
      attempts: 0,
    });
    throw error;
  }
  const { value: pattern, plugin } = registered;
  const pool = runtime.hierarchy.pool(node.depth);
  let coordinator: PooledAgent;
  try {
    coordinator = await pool.acquire({
      role: "coordinator",
      task: {
        orchestrationId: run.id,
        taskId: node.id,
        nodePath: path,
        level,
        capabilities: [],
        priority: node.priority,
        enqueuedAt: performance.now(),
        metadata: node.metadata,
      },
      strategy: runtime.defaultStrategy,
      signal,
      onWait: () => recorder.record("task:queued", path, { taskId: node.id, kind: "composite", level }),
    });
  } catch (error) {
    const failure = toEchelonError(error, CoreErrorCode.CANCELLED);
    recorder.record("task:cancelled", path, { taskId: node.id, kind: "composite", reason: failure.message });
    throw failure;
  }
  run.meter.used(coordinator.agentId);
  recorder.record("task:started", path, {
    taskId: node.id,
    kind: "composite",
    agentId: coordinator.agentId,
    agentType: coordinator.typeName,
    level,
    attempt: 1,
    pattern: pattern.name,
  });
  const context = new NodePatternContext(run, node, call, childConcurrency(run, node));
  recorder.record("pattern:started", path, { pattern: pattern.name, children: context.children.length });
  const started = performance.now();
  try {
    const outcome = await pattern.execute(context.children, context);
    checkOutcome(outcome, pattern.name, plugin, path);
    const durationMs = performance.now() - started;
    recorder.record("pattern:completed", path, {
      pattern: pattern.name,
      durationMs,
      status: outcome.status ?? "completed",
    });
    recorder.record("task:completed", path, {
      taskId: node.id,
      kind: "composite",
      agentId: coordinator.agentId,
      output: outcome.result,
      durationMs,
      attempts: 1,
    });
    if (path === run.plan?.root.path) run.noteRootOutcome(outcome);
    return outcome.result;
  } catch (error) {
    const failure =
      error instanceof EchelonError
        ? error
        : signal.aborted
          ? abortError(signal)
          : new EchelonError(
              CoreErrorCode.PATTERN_FAILED,
              `Pattern "${pattern.name}"${plugin === null ? "" : ` (plugin "${plugin}")`} failed in execute() at "${path}": ${error instanceof Error ? error.message : String(error)}`,
              { cause: error, details: { pattern: pattern.name, plugin, hook: "execute", nodePath: path } },
            );
    const durationMs = performance.now() - started;
    recorder.record("pattern:failed", path, { pattern: pattern.name, durationMs, error: failure.toJSON() });
    if (failure.code === CoreErrorCode.CANCELLED) {
      recorder.record("task:cancelled", path, {
        taskId: node.id,
        kind: "composite",
        reason: failure.message,
      });
    } else {
      recorder.record("task:failed", path, {
        taskId: node.id,
        kind: "composite",
        agentId: coordinator.agentId,
        error: failure.toJSON(),
        attempts: 1,
      });
    }
    throw failure;
  } finally {
    pool.release(coordinator);
  }
}

/** How many children can usefully run at once: leaf slots below, or coordinator slots for composite children. */
function childConcurrency(run: OrchestrationRun, node: PlanNode): number {
  const hierarchy = run.runtime.hierarchy;
  const next = node.depth + 1;
  if (node.children.length === 0) return 1;
  return node.children.some((c) => c.children.length === 0)
    ? Math.max(1, hierarchy.leafSlots(next))
    : hierarchy.pool(next).cap * run.runtime.coordinatorCapacity;
}

function checkOutcome(outcome: PatternOutcome, pattern: string, plugin: string | null, path: string): void {
  if (outcome === null || typeof outcome !== "object" || !("result" in outcome)) {
    throw new EchelonError(
      CoreErrorCode.PATTERN_FAILED,
      `Pattern "${pattern}"${plugin === null ? "" : ` (plugin "${plugin}")`} returned ${String(outcome)} from execute() instead of { result }.`,
      { details: { pattern, plugin, hook: "execute", nodePath: path } },
    );
  }
  assertJsonOutput(outcome.result, `result of pattern "${pattern}" at "${path}"`);
}

import type { DistributionStrategy } from "../distribution/strategy.js";
import { CoreErrorCode } from "../errors/codes.js";
import { EchelonError, toEchelonError } from "../errors/echelon-error.js";
import type { PooledAgent } from "../hierarchy/pooled-agent.js";
import type { PlanNode } from "../model/task.js";
import type { PatternChild, PatternContext, PatternOutcome } from "../patterns/pattern.js";
import { abortError, combineSignals, followsSignal } from "../util/abort.js";
import { assertJsonSerializable } from "../util/json.js";
import { runLeaf } from "./leaf-runner.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** Turns a plan node into the child a pattern sees. */
export function nodeToChild(node: PlanNode): PatternChild {
  return {
    id: node.id,
    description: node.description,
    input: node.input,
    dependsOn: node.dependsOn,
    capabilities: node.capabilities,
    priority: node.priority,
    composite: node.children.length > 0,
    hasCompensation: node.compensate !== null,
    metadata: node.metadata,
  };
}

/** Resolves the distribution strategy for a node (its own override, else the inherited one). */
export function strategyFor(
  run: OrchestrationRun,
  node: PlanNode,
  inherited: DistributionStrategy,
): DistributionStrategy {
  if (node.strategy === null) return inherited;
  return run.runtime.strategies.get(node.strategy) ?? inherited;
}

/**
 * Runs any plan node: a leaf on an agent, a composite under its pattern.
 *
 * @returns the node's output
 * @throws EchelonError with the node's failure code
 */
export function runNode(
  run: OrchestrationRun,
  node: PlanNode,
  path: string,
  input: unknown,
  signal: AbortSignal,
  inherited: DistributionStrategy,
): Promise<unknown> {
  const strategy = strategyFor(run, node, inherited);
  if (node.children.length === 0) return runLeaf(run, { node, path, input, signal, strategy, kind: "leaf" });
  return runComposite(run, node, path, input, signal, strategy);
}

async function runComposite(
  run: OrchestrationRun,
  node: PlanNode,
  path: string,
  input: unknown,
  signal: AbortSignal,
  strategy: DistributionStrategy,
): Promise<unknown> {
  const runtime = run.runtime;
  const level = runtime.levels[node.depth]!;
  const patternName = node.pattern!;
  const pattern = runtime.patterns.get(patternName);
  run.reached(node.depth);
  if (pattern === undefined) {
    const error = new EchelonError(
      CoreErrorCode.UNKNOWN_PATTERN,
      `Pattern "${patternName}" is not registered.`,
    );
    run.record("task:failed", path, {
      taskId: node.id,
      kind: "composite",
      agentId: null,
      error: error.toJSON(),
      attempts: 0,
    });
    throw error;
  }
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
      onWait: () => run.record("task:queued", path, { taskId: node.id, kind: "composite", level }),
    });
  } catch (error) {
    const failure = toEchelonError(error, CoreErrorCode.CANCELLED);
    run.record("task:cancelled", path, { taskId: node.id, kind: "composite", reason: failure.message });
    throw failure;
  }
  run.agentsUsed.add(coordinator.agentId);
  run.record("task:started", path, {
    taskId: node.id,
    kind: "composite",
    agentId: coordinator.agentId,
    agentType: coordinator.typeName,
    level,
    attempt: 1,
    pattern: patternName,
  });
  // Patterns hand back the child objects they were given: find the plan node by identity, by id otherwise.
  const nodeOf = new Map<PatternChild, PlanNode>();
  const children = node.children.map((c) => {
    const child = nodeToChild(c);
    nodeOf.set(child, c);
    return child;
  });
  let childById: Map<string, PlanNode> | undefined;
  const nextLevel = node.depth + 1;
  const concurrency = node.children.some((c) => c.children.length === 0)
    ? Math.max(1, runtime.hierarchy.leafSlots(nextLevel))
    : runtime.hierarchy.pool(nextLevel).cap * runtime.coordinatorCapacity;
  const planChild = (child: PatternChild): PlanNode => {
    const same = nodeOf.get(child);
    if (same !== undefined) return same;
    childById ??= new Map(node.children.map((c) => [c.id, c]));
    const found = childById.get(child.id);
    if (found === undefined) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_FAILED,
        `Pattern "${patternName}" asked to run "${child.id}", which is not a child of "${path}".`,
        { details: { pattern: patternName, nodePath: path, child: child.id } },
      );
    }
    return found;
  };
  const context: PatternContext = {
    orchestrationId: run.id,
    nodePath: path,
    input,
    options: node.patternOptions,
    signal,
    concurrency,
    logger: runtime.logger,
    emit: (type, payload) => run.record(type, path, payload),
    markCompensated(child, output, options = {}) {
      const target = planChild(child);
      const suffix = options.invocation === undefined ? "" : `#${options.invocation}`;
      run.record("task:compensated", `${target.path}${suffix}`, {
        taskId: target.id,
        output: output ?? null,
      });
    },
    skipChild(child, reason) {
      const target = planChild(child);
      run.record("task:skipped", target.path, { taskId: target.id, reason });
    },
    // Not async on purpose: returning runNode's promise directly saves microtask hops per child.
    runChild(child, options = {}) {
      let target: PlanNode;
      try {
        target = planChild(child);
      } catch (error) {
        return Promise.reject(error);
      }
      const childPath =
        options.invocation === undefined ? target.path : `${target.path}#${options.invocation}`;
      const childInput = "input" in options ? options.input : target.input;
      if (options.signal === undefined || options.signal === signal) {
        return runNode(run, target, childPath, childInput, signal, strategy);
      }
      if (followsSignal(options.signal, signal)) {
        // The pattern's signal already follows ours (made with linkedController): no need to combine.
        return runNode(run, target, childPath, childInput, options.signal, strategy);
      }
      const link = combineSignals(signal, options.signal);
      return runNode(run, target, childPath, childInput, link.signal, strategy).finally(() => link.dispose());
    },
    async compensateChild(child, output, options = {}) {
      const target = planChild(child);
      const compensation = target.compensate;
      if (compensation === null) {
        throw new EchelonError(
          CoreErrorCode.PATTERN_FAILED,
          `Task "${target.path}" declares no compensation; add a "compensate" task to it.`,
          { details: { nodePath: target.path } },
        );
      }
      const suffix = options.invocation === undefined ? "" : `#${options.invocation}`;
      const result = await runLeaf(run, {
        node: compensation,
        path: `${compensation.path}${suffix}`,
        input: { output, input: compensation.input },
        signal: run.uncancellable,
        strategy,
        kind: "compensation",
      });
      run.record("task:compensated", `${target.path}${suffix}`, { taskId: target.id, output: result });
      return result;
    },
  };
  run.record("pattern:started", path, { pattern: patternName, children: children.length });
  const started = performance.now();
  try {
    const outcome: PatternOutcome = await pattern.execute(children, context);
    if (outcome === null || typeof outcome !== "object" || !("result" in outcome)) {
      throw new EchelonError(
        CoreErrorCode.PATTERN_FAILED,
        `Pattern "${patternName}" returned ${String(outcome)} instead of { result }.`,
      );
    }
    assertJsonSerializable(outcome.result, `result of pattern "${patternName}" at "${path}"`);
    const durationMs = performance.now() - started;
    run.record("pattern:completed", path, {
      pattern: patternName,
      durationMs,
      status: outcome.status ?? "completed",
    });
    run.record("task:completed", path, {
      taskId: node.id,
      kind: "composite",
      agentId: coordinator.agentId,
      output: outcome.result,
      durationMs,
      attempts: 1,
    });
    return outcome.result;
  } catch (error) {
    const failure =
      error instanceof EchelonError
        ? error
        : signal.aborted
          ? abortError(signal)
          : toEchelonError(
              error,
              CoreErrorCode.PATTERN_FAILED,
              `Pattern "${patternName}" at "${path}" failed: ${error instanceof Error ? error.message : String(error)}`,
            );
    const durationMs = performance.now() - started;
    run.record("pattern:failed", path, { pattern: patternName, durationMs, error: failure.toJSON() });
    if (failure.code === CoreErrorCode.CANCELLED) {
      run.record("task:cancelled", path, { taskId: node.id, kind: "composite", reason: failure.message });
    } else {
      run.record("task:failed", path, {
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

import type { DistributionStrategy } from "../distribution/strategy.js";
import type { PlanNode } from "../model/task.js";
import type { Registered } from "../plugins/registrations.js";
import { CoreErrorCode } from "../errors/codes.js";
import { toEchelonError } from "../errors/echelon-error.js";
import { abortError } from "../util/abort.js";
import { runComposite } from "./composite-runner.js";
import { expandNode } from "./expansion.js";
import { runLeaf } from "./leaf-runner.js";
import type { OrchestrationRun } from "./orchestration-run.js";

/** How one node runs: where in the run it is, with what input and under which signal and strategy. */
export interface NodeCall {
  /** The node's path in this run (its plan path, or under an invocation: `a/b#item-3/c`). */
  readonly path: string;
  readonly input: unknown;
  readonly signal: AbortSignal;
  /** The strategy its leaves use (the node's own override, else the inherited one). */
  readonly strategy: Registered<DistributionStrategy>;
}

/**
 * Runs any plan node: a leaf on an agent, a composite under its pattern. The one entry point
 * for every node of every run, orchestrations and `PatternExecutor` alike.
 *
 * @returns the node's output
 * @throws EchelonError with the node's failure code
 */
export function runNode(run: OrchestrationRun, node: PlanNode, call: NodeCall): Promise<unknown> {
  // Resumed: what the journal says finished is not run again.
  if (run.replay !== null) {
    const done = run.replay.finished(call.path);
    if (done !== undefined)
      return done.kind === "output" ? Promise.resolve(done.output) : Promise.reject(done.error);
  }
  // Resumed while cancelling: a composite that had started re-enters under its own gate.
  const gate = run.resumeCancel?.enter(call.path, node.pattern !== null || node.expand !== null) ?? null;
  const entered = gate === null ? call : { ...call, signal: gate };
  const strategy =
    node.strategy === null
      ? entered.strategy
      : (run.runtime.strategies.get(node.strategy) ?? entered.strategy);
  const own = strategy === entered.strategy ? entered : { ...entered, strategy };
  if (node.expand !== null) return runExpanding(run, node, own);
  // A node with a pattern is composite, even without children (an executor run on no slice).
  if (node.pattern === null) return runLeaf(run, node, own, "leaf");
  return runComposite(run, node, own);
}

/** A node that gets its children when reached: grow it, then run it as what it became. */
async function runExpanding(run: OrchestrationRun, node: PlanNode, call: NodeCall): Promise<unknown> {
  let grown: PlanNode;
  try {
    grown = await expandNode(run, node, call);
  } catch (error) {
    const failure = call.signal.aborted
      ? abortError(call.signal)
      : toEchelonError(error, CoreErrorCode.EXPANSION_INVALID);
    if (failure.code === CoreErrorCode.CANCELLED) {
      run.recorder.record("task:cancelled", call.path, {
        taskId: node.id,
        kind: "composite",
        reason: failure.message,
      });
    } else {
      run.recorder.record("task:failed", call.path, {
        taskId: node.id,
        kind: "composite",
        agentId: null,
        error: failure.toJSON(),
        attempts: 0,
      });
    }
    throw failure;
  }
  if (grown.pattern === null) return runLeaf(run, grown, call, "leaf");
  return runComposite(run, grown, call);
}

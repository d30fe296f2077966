import { type ChildOutcome, EchelonError, toEchelonError } from "@echelon/core";
import {
  type LinkedController,
  linkedController,
  type PatternChild,
  type PatternContext,
} from "@echelon/core/plugin";
import type { ChildGraph } from "./dag.js";
import { ForkJoinErrorCode } from "./errors.js";
import type {} from "./events.js";
import type { FailurePolicy } from "./options.js";
import { ReadyQueue } from "./ready-queue.js";

/** Settings of one DAG run. */
export interface DagRunSettings {
  readonly maxParallel: number;
  readonly passOutputs: boolean;
  readonly failurePolicy: FailurePolicy;
  /** Stops the run early when it returns true (join satisfied). */
  readonly satisfied?: (settled: readonly ChildOutcome[]) => boolean;
}

/** What a DAG run produced. */
export interface DagRun {
  /** One outcome per child, in declaration order. */
  readonly outcomes: ChildOutcome[];
  /** Ids in the order they settled. */
  readonly settleOrder: string[];
  /** First real child failure (not an abort we caused). */
  readonly firstError: Error | null;
  /** Why the run stopped before running everything, if it did. */
  readonly stoppedBy: "failure" | "satisfied" | null;
  /** What the strategy's `satisfied` threw, if it did (the run was then stopped). */
  readonly strategyError: unknown;
}

type State = "waiting" | "ready" | "running" | ChildOutcome["status"];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `{ [depId]: output }` merged into the child's input (see README: merge rule). */
export function mergeDependencyOutputs(input: unknown, outputs: Readonly<Record<string, unknown>>): unknown {
  if (input === undefined || input === null) return { ...outputs };
  if (isPlainObject(input)) return { ...input, ...outputs };
  return { input, ...outputs };
}

/**
 * Runs the children as a DAG: a child starts as soon as its own dependencies completed (no
 * level barrier), at most `maxParallel` at once, ready children by priority then declaration
 * order. Resolves once nothing is running any more.
 */
export function runDag(
  children: readonly PatternChild[],
  graph: ChildGraph,
  ctx: PatternContext,
  settings: DagRunSettings,
): Promise<DagRun> {
  const n = children.length;
  const state: State[] = children.map(() => "waiting");
  const remaining = graph.dependencies.map((deps) => deps.length);
  const outcomes: (ChildOutcome | undefined)[] = new Array(n);
  const outputs = new Map<number, unknown>();
  const running = new Map<number, LinkedController>();
  const abortedByUs = new Set<number>();
  const settleOrder: string[] = [];
  const ready = new ReadyQueue((i) => children[i]!.priority);
  let firstError: Error | null = null;
  let stoppedBy: DagRun["stoppedBy"] = null;
  let strategyError: unknown;

  const enqueue = (i: number) => {
    state[i] = "ready";
    ready.push(i);
  };

  const skip = (i: number, reason: "dependency-failed" | "stopped", dependency?: string) => {
    state[i] = "skipped";
    const why =
      reason === "stopped"
        ? `Child "${children[i]!.id}" was not started: the fork-join stopped early.`
        : `Child "${children[i]!.id}" was skipped: its dependency "${dependency}" did not complete.`;
    const error = new EchelonError(ForkJoinErrorCode.SKIPPED, why, {
      details: { reason, ...(dependency !== undefined ? { dependency } : {}) },
    });
    outcomes[i] = { id: children[i]!.id, status: "skipped", error: error.toJSON() };
    ctx.skipChild(children[i]!, dependency === undefined ? reason : `${reason}: ${dependency}`);
    ctx.emit("fork-join:childSkipped", { child: children[i]!.id, reason, dependency: dependency ?? null });
  };

  const skipDependents = (i: number) => {
    const stack = [i];
    while (stack.length > 0) {
      const j = stack.pop()!;
      for (const d of graph.dependents[j]!) {
        // A skipped child may still sit in the ready queue: pump() drops it, its state is no longer "ready".
        if (state[d] === "waiting" || state[d] === "ready") {
          skip(d, "dependency-failed", children[j]!.id);
          stack.push(d);
        }
      }
    }
  };

  const stop = (why: "failure" | "satisfied", cause: string, trigger: string | null) => {
    if (stoppedBy !== null) return;
    stoppedBy = why;
    const reason = new EchelonError(ForkJoinErrorCode.ABORTED, cause, { details: { reason: why, trigger } });
    const aborted: string[] = [];
    for (const [i, link] of running) {
      if (state[i] !== "running") continue; // settled, not yet cleaned up
      abortedByUs.add(i);
      aborted.push(children[i]!.id);
      link.controller.abort(reason);
    }
    if (aborted.length > 0)
      ctx.emit("fork-join:childrenAborted", { children: aborted, reason: why, trigger });
  };

  return new Promise<DagRun>((resolve) => {
    const finish = () => {
      for (let i = 0; i < n; i++) if (state[i] === "waiting" || state[i] === "ready") skip(i, "stopped");
      resolve({ outcomes: outcomes as ChildOutcome[], settleOrder, firstError, stoppedBy, strategyError });
    };

    const pump = () => {
      while (
        stoppedBy === null &&
        !ctx.signal.aborted &&
        running.size < settings.maxParallel &&
        ready.size > 0
      ) {
        const next = ready.pop()!;
        if (state[next] === "ready") start(next);
      }
      if (running.size === 0) finish();
    };

    const settled = (i: number, outcome: ChildOutcome) => {
      outcomes[i] = outcome;
      state[i] = outcome.status;
      settleOrder.push(outcome.id);
    };

    const start = (i: number) => {
      const child = children[i]!;
      const link = linkedController(ctx.signal);
      running.set(i, link);
      state[i] = "running";
      const deps = graph.dependencies[i]!;
      const input =
        settings.passOutputs && deps.length > 0
          ? mergeDependencyOutputs(
              child.input,
              Object.fromEntries(deps.map((j) => [children[j]!.id, outputs.get(j)])),
            )
          : undefined;
      const t0 = performance.now();
      const options = input === undefined ? { signal: link.signal } : { signal: link.signal, input };
      // `new Promise` turns a synchronous throw of runChild into a rejection.
      new Promise<unknown>((resolve) => resolve(ctx.runChild(child, options)))
        .then(
          (output) => {
            outputs.set(i, output);
            settled(i, { id: child.id, status: "completed", output, durationMs: performance.now() - t0 });
            for (const d of graph.dependents[i]!) {
              remaining[d]!--;
              if (remaining[d] === 0 && state[d] === "waiting") enqueue(d);
            }
          },
          (error: unknown) => {
            const failure = toEchelonError(error, ForkJoinErrorCode.FAILED);
            const cancelled = abortedByUs.has(i) || ctx.signal.aborted;
            settled(i, {
              id: child.id,
              status: cancelled ? "cancelled" : "failed",
              error: failure.toJSON(),
              durationMs: performance.now() - t0,
            });
            skipDependents(i);
            if (!cancelled) {
              firstError ??= failure;
              if (settings.failurePolicy === "fail-fast") {
                stop("failure", `Aborted by fork-join (fail-fast): sibling "${child.id}" failed.`, child.id);
              }
            }
          },
        )
        .finally(() => {
          link.dispose();
          running.delete(i);
          if (stoppedBy === null && settings.satisfied) {
            try {
              if (settings.satisfied(outcomes.filter((o) => o !== undefined))) {
                stop("satisfied", "Aborted by fork-join: the join strategy was satisfied.", null);
              }
            } catch (error) {
              // A throwing strategy must not leave the run hanging: stop, report it after the join.
              strategyError = error;
              stop("failure", "Aborted by fork-join: the join strategy failed.", null);
            }
          }
          pump();
        });
    };

    for (let i = 0; i < n; i++) if (remaining[i] === 0) enqueue(i);
    pump();
  });
}

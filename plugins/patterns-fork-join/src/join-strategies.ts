import { type ChildOutcome, EchelonError } from "@echelon/core";
import type { PatternStatus } from "@echelon/core/plugin";
import { ForkJoinErrorCode } from "./errors.js";
import type { FailurePolicy } from "./options.js";

/** What a join strategy sees besides the outcomes. */
export interface JoinContext {
  /** The failure policy in force. */
  readonly failurePolicy: FailurePolicy;
  /** The first child failure (not counting aborted siblings), to wrap as `cause`. */
  readonly firstError: Error | null;
  /** Ids of the children that settled (completed, failed or were aborted), in the order they settled. */
  readonly settleOrder: readonly string[];
  /** The node's pattern options (a custom strategy may read its own settings there). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** What a join strategy returns: the node's result and, optionally, a status and details. */
export interface JoinResult {
  /** The composite node's output (JSON). */
  readonly result: unknown;
  /** `partial` when the strategy accepted missing children. Default `completed`. */
  readonly status?: PatternStatus;
  /** Facts merged into the pattern's details (JSON). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Builds the result from every child's outcome (in declaration order; `completed`,
 * `failed`, `cancelled` for aborted ones, `skipped`). Throw an `EchelonError` to fail the node.
 */
export type JoinFunction = (outcomes: readonly ChildOutcome[], context: JoinContext) => JoinResult;

/** A join strategy: how the children's outcomes become the node's result. */
export interface JoinStrategy {
  /** Builds the result once the run stopped. */
  readonly join: JoinFunction;
  /**
   * Called after every child settles with the outcomes so far (children not yet settled are
   * absent); returning true stops the run: running children are aborted, unstarted ones skipped.
   */
  readonly satisfied?: (settled: readonly ChildOutcome[]) => boolean;
  /** Policy used when the node sets none. Default `fail-fast`. */
  readonly defaultFailurePolicy?: FailurePolicy;
}

function idsWith(outcomes: readonly ChildOutcome[], status: ChildOutcome["status"]): string[] {
  return outcomes.filter((o) => o.status === status).map((o) => o.id);
}

/** Join `all`: every child must complete; result `{ [childId]: output }`. */
export const joinAll: JoinStrategy = {
  join(outcomes, context) {
    const incomplete = outcomes.filter((o) => o.status !== "completed");
    if (incomplete.length > 0) {
      const failed = idsWith(outcomes, "failed");
      const aborted = idsWith(outcomes, "cancelled");
      const skipped = idsWith(outcomes, "skipped");
      const completed = Object.fromEntries(
        outcomes.filter((o) => o.status === "completed").map((o) => [o.id, o.output ?? null]),
      );
      const abortedNote =
        context.failurePolicy === "fail-fast" && aborted.length > 0
          ? `; aborted (fail-fast): ${aborted.join(", ")}`
          : "";
      throw new EchelonError(
        ForkJoinErrorCode.FAILED,
        `fork-join: ${failed.length} child(ren) failed (${failed.join(", ")})${abortedNote}` +
          `${skipped.length > 0 ? `; skipped: ${skipped.join(", ")}` : ""}. ` +
          `Fix the failing child, or use join "all-settled" to accept partial results.`,
        {
          cause: context.firstError ?? undefined,
          details: { failurePolicy: context.failurePolicy, failed, aborted, skipped, completed },
        },
      );
    }
    return { result: Object.fromEntries(outcomes.map((o) => [o.id, o.output ?? null])) };
  },
};

/** Join `all-settled`: waits for every child; result lists each outcome; `partial` if any did not complete. */
export const joinAllSettled: JoinStrategy = {
  defaultFailurePolicy: "continue",
  join(outcomes) {
    const result = outcomes.map((o) => ({
      id: o.id,
      status: o.status,
      ...(o.status === "completed" ? { output: o.output ?? null } : {}),
      ...(o.error !== undefined ? { error: o.error } : {}),
    }));
    return { result, status: outcomes.every((o) => o.status === "completed") ? "completed" : "partial" };
  },
};

/** Join `first-success`: the first child to complete wins; the rest are aborted or skipped. */
export const joinFirstSuccess: JoinStrategy = {
  defaultFailurePolicy: "continue",
  satisfied: (settled) => settled.some((o) => o.status === "completed"),
  join(outcomes, context) {
    const byId = new Map(outcomes.map((o) => [o.id, o]));
    const winner = context.settleOrder.map((id) => byId.get(id)).find((o) => o?.status === "completed");
    if (!winner) {
      throw new EchelonError(
        ForkJoinErrorCode.NO_SUCCESS,
        `fork-join: no child succeeded (failed: ${idsWith(outcomes, "failed").join(", ") || "none"}). ` +
          `Check the children's errors in details.`,
        {
          cause: context.firstError ?? undefined,
          details: {
            failed: idsWith(outcomes, "failed"),
            aborted: idsWith(outcomes, "cancelled"),
            skipped: idsWith(outcomes, "skipped"),
          },
        },
      );
    }
    return { result: winner.output ?? null, details: { winner: winner.id } };
  },
};

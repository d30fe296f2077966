/**
 * Error codes raised by `@echelon/patterns-fork-join`. Append-only: a code is never renamed
 * or reused for another meaning.
 */
export const ForkJoinErrorCode = {
  /** A fork-join option has the wrong type or range (`maxParallel`, `join`, `failurePolicy`, `passOutputs`). */
  INVALID_OPTIONS: "ECHELON_FORK_JOIN_INVALID_OPTIONS",
  /** The `join` option names a strategy that is neither built in nor registered. */
  UNKNOWN_STRATEGY: "ECHELON_FORK_JOIN_UNKNOWN_STRATEGY",
  /** `registerJoinStrategy` was called twice for one name without `{ override: true }`. */
  DUPLICATE_STRATEGY: "ECHELON_FORK_JOIN_DUPLICATE_STRATEGY",
  /** Two children share one id. */
  DUPLICATE_CHILD: "ECHELON_FORK_JOIN_DUPLICATE_CHILD",
  /** A child's `dependsOn` names an id that is not a sibling. */
  UNKNOWN_DEPENDENCY: "ECHELON_FORK_JOIN_UNKNOWN_DEPENDENCY",
  /** `dependsOn` among the children forms a cycle; `details.cycle` lists it. */
  DEPENDENCY_CYCLE: "ECHELON_FORK_JOIN_DEPENDENCY_CYCLE",
  /** A child was not run: a dependency failed, or the fork-join stopped early. Used in child outcomes. */
  SKIPPED: "ECHELON_FORK_JOIN_SKIPPED",
  /** A child was aborted because a sibling failed under the fail-fast policy. Used in child outcomes. */
  ABORTED: "ECHELON_FORK_JOIN_ABORTED",
  /** The join could not be satisfied: a child failed (join `all`); `details` lists failed, aborted and skipped children. */
  FAILED: "ECHELON_FORK_JOIN_FAILED",
  /** Join `first-success`: no child succeeded. */
  NO_SUCCESS: "ECHELON_FORK_JOIN_NO_SUCCESS",
  /** A custom join strategy threw something other than an `EchelonError`; it is the `cause`. */
  STRATEGY_FAILED: "ECHELON_FORK_JOIN_STRATEGY_FAILED",
} as const;

/** One of the fork-join error codes. */
export type ForkJoinErrorCode = (typeof ForkJoinErrorCode)[keyof typeof ForkJoinErrorCode];

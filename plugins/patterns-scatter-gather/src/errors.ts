/**
 * Error codes raised by `@echelon/patterns-scatter-gather`. Append-only: a code is never
 * renamed or reused for another meaning.
 */
export const ScatterGatherErrorCode = {
  /** An option has the wrong type or range (`gather`, `replicas`, `deadlineMs`, `quorum`, `voteKey`). */
  INVALID_OPTIONS: "ECHELON_SCATTER_GATHER_INVALID_OPTIONS",
  /** The `gather` option names a strategy that is neither built in nor registered. */
  UNKNOWN_STRATEGY: "ECHELON_SCATTER_GATHER_UNKNOWN_STRATEGY",
  /** The `voteKey` option names a key function that is not registered. */
  UNKNOWN_VOTE_KEY: "ECHELON_SCATTER_GATHER_UNKNOWN_VOTE_KEY",
  /** A gather strategy or vote key was registered twice under one name without `{ override: true }`. */
  DUPLICATE_REGISTRATION: "ECHELON_SCATTER_GATHER_DUPLICATE_REGISTRATION",
  /** There is nothing to scatter to: no children. */
  NO_RESPONDENTS: "ECHELON_SCATTER_GATHER_NO_RESPONDENTS",
  /** A child declares `dependsOn`: respondents are independent; use fork-join for dependencies. */
  DEPENDENCIES_UNSUPPORTED: "ECHELON_SCATTER_GATHER_DEPENDENCIES_UNSUPPORTED",
  /** No respondent answered (all failed, or the deadline passed first). */
  NO_RESPONSE: "ECHELON_SCATTER_GATHER_NO_RESPONSE",
  /** Gather `quorum`: fewer than k respondents answered, or can still answer. */
  QUORUM_NOT_REACHED: "ECHELON_SCATTER_GATHER_QUORUM_NOT_REACHED",
  /** Gather `majority`: no answer was given by more than half of the respondents. */
  NO_MAJORITY: "ECHELON_SCATTER_GATHER_NO_MAJORITY",
  /** A custom gather strategy or vote key threw something other than an `EchelonError`; it is the `cause`. */
  STRATEGY_FAILED: "ECHELON_SCATTER_GATHER_STRATEGY_FAILED",
  /** A custom gather strategy returned nothing although every answer was in. */
  UNDECIDED: "ECHELON_SCATTER_GATHER_UNDECIDED",
  /** A respondent was aborted because the gather was decided or the deadline passed. Used as the abort reason. */
  ABORTED: "ECHELON_SCATTER_GATHER_ABORTED",
} as const;

/** One of the scatter-gather error codes. */
export type ScatterGatherErrorCode = (typeof ScatterGatherErrorCode)[keyof typeof ScatterGatherErrorCode];

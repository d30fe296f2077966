/**
 * Error codes raised by `@echelon/distributor`. Append-only: a code is never renamed or
 * reused. Where core already has a code with the same meaning (unknown strategy, no agent for
 * a capability, bad options) the distributor raises core's code instead of inventing one.
 */
export const DistributorErrorCode = {
  /** An agent id was registered twice with `WorkloadDistributor.registerAgent`. */
  DUPLICATE_AGENT: "ECHELON_DISTRIBUTOR_DUPLICATE_AGENT",
  /** Every agent able to run the task is at capacity; complete some work or add agents. */
  SATURATED: "ECHELON_DISTRIBUTOR_SATURATED",
  /** A strategy returned something other than the index of one of the candidates. */
  INVALID_CHOICE: "ECHELON_DISTRIBUTOR_INVALID_CHOICE",
  /** A strategy with the same name is already registered in this distributor. */
  DUPLICATE_STRATEGY: "ECHELON_DISTRIBUTOR_DUPLICATE_STRATEGY",
} as const;

/** One of the distributor's own error codes. */
export type DistributorErrorCode = (typeof DistributorErrorCode)[keyof typeof DistributorErrorCode];

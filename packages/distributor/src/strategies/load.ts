import type { AgentLoad } from "@echelon/core/plugin";

/**
 * Load of a candidate: in-flight work relative to capacity (0 = idle, 1 = full). A capacity
 * below 1 counts as 1 so a misconfigured agent never divides by zero.
 *
 * @internal
 */
export function loadRatio(candidate: AgentLoad): number {
  return candidate.inFlight / Math.max(candidate.capacity, 1);
}

/**
 * True when `a` (whose load ratio is `ra`) is less loaded than `b` (ratio `rb`): lower ratio,
 * then fewer in flight, then fewer completed tasks (so work spreads evenly over time).
 * Ratios are passed in so a scan computes each candidate's ratio once.
 *
 * @internal
 */
export function lessLoaded(a: AgentLoad, ra: number, b: AgentLoad, rb: number): boolean {
  if (ra !== rb) return ra < rb;
  if (a.inFlight !== b.inFlight) return a.inFlight < b.inFlight;
  return a.completed < b.completed;
}

import type { AgentLoad } from "@echelon/core";

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
 * Compares two candidates by load: lower ratio first, then fewer in flight, then fewer
 * completed tasks (so work spreads evenly over time). Negative when `a` is the better choice.
 *
 * @internal
 */
export function compareLoad(a: AgentLoad, b: AgentLoad): number {
  const ra = loadRatio(a);
  const rb = loadRatio(b);
  if (ra !== rb) return ra - rb;
  if (a.inFlight !== b.inFlight) return a.inFlight - b.inFlight;
  return a.completed - b.completed;
}

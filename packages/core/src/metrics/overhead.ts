import type { PlanNode } from "../model/task.js";
import type { PatternOrdering } from "../patterns/pattern.js";

/** Busy time observed for one plan node across its invocations. */
export interface NodeBusy {
  /** Busy time of the longest single invocation (its attempts summed), ms. */
  readonly maxMs: number;
  /** Number of invocations. */
  readonly invocations: number;
}

/** Busy time per node path, as {@link criticalPathMs} reads it. */
export interface BusyLookup {
  /** Busy time of the node's longest single invocation, ms (0 when it never ran). */
  busiestMs(path: string): number;
  /** How many invocations the node had. */
  invocations(path: string): number;
}

function asLookup(busy: BusyLookup | ReadonlyMap<string, NodeBusy>): BusyLookup {
  if (!(busy instanceof Map)) return busy as BusyLookup;
  const map = busy as ReadonlyMap<string, NodeBusy>;
  return {
    busiestMs: (path) => map.get(path)?.maxMs ?? 0,
    invocations: (path) => map.get(path)?.invocations ?? 0,
  };
}

/**
 * The critical path of measured agent busy time along the plan's ordering.
 *
 * - a leaf contributes the busy time of its longest invocation (attempts summed);
 * - a `parallel` composite contributes the longest child;
 * - a `sequential` composite contributes the sum of its children — unless a child ran more
 *   than once (streamed items overlap across stages), then only the longest, which stays a
 *   valid lower bound;
 * - a `dag` composite contributes the longest chain along `dependsOn`.
 *
 * @param root - the executed plan's root
 * @param busyTimes - busy time per node path (a Map or a {@link BusyLookup})
 * @param orderingOf - the ordering of a pattern by name (`parallel` when unknown: the smaller, safe bound)
 * @returns milliseconds
 */
export function criticalPathMs(
  root: PlanNode,
  busyTimes: BusyLookup | ReadonlyMap<string, NodeBusy>,
  orderingOf: (pattern: string) => PatternOrdering,
): number {
  const busy = asLookup(busyTimes);
  const visit = (node: PlanNode): number => {
    if (node.children.length === 0) return busy.busiestMs(node.path);
    const lengths = node.children.map(visit);
    const ordering = node.pattern === null ? "parallel" : orderingOf(node.pattern);
    if (ordering === "sequential") {
      const repeated = node.children.some((c) => busy.invocations(c.path) > 1);
      return repeated ? Math.max(0, ...lengths) : lengths.reduce((a, b) => a + b, 0);
    }
    if (ordering === "dag") {
      const index = new Map(node.children.map((c, i) => [c.id, i]));
      const memo = new Map<number, number>();
      const finish = (i: number, guard: number): number => {
        const known = memo.get(i);
        if (known !== undefined) return known;
        if (guard > node.children.length) return lengths[i]!; // cycles are rejected by validation; stay safe
        let start = 0;
        for (const dep of node.children[i]!.dependsOn) {
          const j = index.get(dep);
          if (j !== undefined) start = Math.max(start, finish(j, guard + 1));
        }
        const end = start + lengths[i]!;
        memo.set(i, end);
        return end;
      };
      let longest = 0;
      for (let i = 0; i < lengths.length; i++) longest = Math.max(longest, finish(i, 0));
      return longest;
    }
    return Math.max(0, ...lengths);
  };
  return visit(root);
}

/**
 * The best makespan possible for the agent work actually observed:
 * `max(criticalPath, totalLeafBusy / leafSlots)`. No schedule of the same work on the same
 * slots can finish sooner.
 *
 * @param criticalPath - from {@link criticalPathMs}, ms
 * @param totalBusyMs - sum of every leaf's busy time, ms
 * @param leafSlots - leaf tasks that can run at once (≥ 1)
 * @returns milliseconds
 */
export function computeLowerBound(criticalPath: number, totalBusyMs: number, leafSlots: number): number {
  return Math.max(criticalPath, totalBusyMs / Math.max(1, leafSlots));
}

/**
 * Coordination overhead in percent: `100 × (wall − lowerBound) / wall`, the share of the wall
 * time not explained by the agent work itself. 0 when `wall` is 0; never negative (a lower
 * bound above the wall time can only come from clock granularity).
 *
 * @param wallMs - measured wall time of the orchestration, ms
 * @param lowerBoundMs - from {@link computeLowerBound}, ms
 * @returns percent, 0–100
 */
export function computeCoordinationOverhead(wallMs: number, lowerBoundMs: number): number {
  if (!(wallMs > 0)) return 0;
  return Math.max(0, Math.min(100, (100 * (wallMs - lowerBoundMs)) / wallMs));
}

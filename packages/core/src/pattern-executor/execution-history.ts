import type { PatternRunStatus } from "../patterns/pattern-result.js";

/** One run remembered by the executor. */
export interface PatternExecution {
  /** Id of the run. */
  readonly runId: string;
  /** Pattern that ran. */
  readonly pattern: string;
  /** True when the pattern returned (completed or partial). */
  readonly success: boolean;
  /** Final status. */
  readonly status: PatternRunStatus;
  /** Measured wall time in milliseconds. */
  readonly executionTimeMs: number;
  /** Wall-clock start, epoch milliseconds. */
  readonly startedAt: number;
  /** Number of slices handed in. */
  readonly slices: number;
  /** Error code of a failed run, else `null`. */
  readonly errorCode: string | null;
}

/** Measured performance of one pattern over the retained history. */
export interface PatternPerformance {
  /** Pattern name. */
  readonly pattern: string;
  /** Runs in the retained history. */
  readonly executions: number;
  /** Runs that succeeded (completed or partial). */
  readonly successes: number;
  /** `100 × successes / executions`, in percent. */
  readonly successRate: number;
  /** Mean wall time, milliseconds. */
  readonly meanMs: number;
  /** Median wall time (nearest rank), milliseconds. */
  readonly p50Ms: number;
  /** 95th percentile wall time (nearest rank), milliseconds. */
  readonly p95Ms: number;
}

/**
 * The nearest-rank percentile of sorted values: the smallest value with at least `p` percent
 * of the values at or below it.
 */
function nearestRank(sorted: readonly number[], p: number): number {
  const index = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.min(index, sorted.length - 1)]!;
}

/** A bounded, chronological log of runs with per-pattern statistics. */
export class ExecutionHistory {
  private readonly entries: PatternExecution[] = [];

  /** @param capacity - most runs kept; older runs are dropped first */
  constructor(private readonly capacity: number) {}

  /** Records one run, dropping the oldest beyond capacity. */
  add(entry: PatternExecution): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  /** The last `limit` runs (all when absent), oldest first. */
  list(limit?: number): PatternExecution[] {
    if (limit === undefined) return [...this.entries];
    return limit <= 0 ? [] : this.entries.slice(-limit);
  }

  /** Forgets every run. */
  clear(): void {
    this.entries.length = 0;
  }

  /** Statistics per pattern that has at least one retained run, by name. */
  performance(): Record<string, PatternPerformance> {
    const byPattern = new Map<string, PatternExecution[]>();
    for (const e of this.entries) {
      const list = byPattern.get(e.pattern) ?? [];
      list.push(e);
      byPattern.set(e.pattern, list);
    }
    const out: Record<string, PatternPerformance> = {};
    for (const [pattern, runs] of [...byPattern].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const times = runs.map((r) => r.executionTimeMs).sort((a, b) => a - b);
      const successes = runs.filter((r) => r.success).length;
      out[pattern] = {
        pattern,
        executions: runs.length,
        successes,
        successRate: (100 * successes) / runs.length,
        meanMs: times.reduce((s, t) => s + t, 0) / times.length,
        p50Ms: nearestRank(times, 50),
        p95Ms: nearestRank(times, 95),
      };
    }
    return out;
  }
}

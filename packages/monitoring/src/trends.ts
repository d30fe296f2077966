import type { RollingMetrics, TrendPoint } from "./types.js";

interface Bucket {
  readonly index: number;
  tasksCompleted: number;
  tasksFailed: number;
  retries: number;
  compensations: number;
  orchestrationsFinished: number;
  overheadSum: number;
  maxQueueDepth: number;
  readonly busyMsByLevel: Record<string, number>;
}

/** Counters that a bucket accumulates. */
export type BucketCounter = "tasksCompleted" | "tasksFailed" | "retries" | "compensations";

/**
 * @internal Time-bucketed counters on the monotonic clock: bucket `i` covers
 * `[i × bucketMs, (i + 1) × bucketMs)`. Only the newest `maxBuckets` are kept.
 */
export class TrendBuckets {
  private readonly buckets = new Map<number, Bucket>();

  constructor(
    readonly bucketMs: number,
    private readonly maxBuckets: number,
  ) {}

  /** Adds `n` to a counter of the bucket holding `ts`. */
  count(ts: number, counter: BucketCounter, n = 1): void {
    this.bucket(ts)[counter] += n;
  }

  /** Records a finished orchestration's coordination overhead. */
  orchestrationFinished(ts: number, overhead: number): void {
    const b = this.bucket(ts);
    b.orchestrationsFinished++;
    b.overheadSum += overhead;
  }

  /** Records the queue depth seen at `ts`. */
  queueDepth(ts: number, depth: number): void {
    const b = this.bucket(ts);
    if (depth > b.maxQueueDepth) b.maxQueueDepth = depth;
  }

  /** Spreads a busy span over the buckets it overlaps. */
  busy(level: string, start: number, end: number): void {
    let t = Math.max(start, (Math.floor(end / this.bucketMs) - this.maxBuckets + 1) * this.bucketMs);
    while (t < end) {
      const index = Math.floor(t / this.bucketMs);
      const bucketEnd = (index + 1) * this.bucketMs;
      const until = Math.min(end, bucketEnd);
      const b = this.bucket(t);
      b.busyMsByLevel[level] = (b.busyMsByLevel[level] ?? 0) + (until - t);
      t = until;
    }
  }

  /** Points for the buckets intersecting `[from, to]`, oldest first, gaps filled with zeros. */
  points(from: number, to: number): TrendPoint[] {
    const out: TrendPoint[] = [];
    const first = Math.max(
      Math.floor(from / this.bucketMs),
      Math.floor(to / this.bucketMs) - this.maxBuckets + 1,
    );
    for (let i = first; i <= Math.floor(to / this.bucketMs); i++) {
      const b = this.buckets.get(i);
      out.push({
        start: i * this.bucketMs,
        durationMs: this.bucketMs,
        tasksCompleted: b?.tasksCompleted ?? 0,
        tasksFailed: b?.tasksFailed ?? 0,
        throughputPerSec: ((b?.tasksCompleted ?? 0) * 1000) / this.bucketMs,
        retries: b?.retries ?? 0,
        compensations: b?.compensations ?? 0,
        orchestrationsFinished: b?.orchestrationsFinished ?? 0,
        meanCoordinationOverhead:
          b && b.orchestrationsFinished > 0 ? b.overheadSum / b.orchestrationsFinished : null,
        maxQueueDepth: b?.maxQueueDepth ?? 0,
        busyMsByLevel: { ...(b?.busyMsByLevel ?? {}) },
      });
    }
    return out;
  }

  /** Totals over the buckets of `[now - windowMs, now]`; throughput is per second of the window. */
  rolling(now: number, windowMs: number): RollingMetrics {
    let overheadSum = 0;
    const r = { tasksCompleted: 0, tasksFailed: 0, retries: 0, compensations: 0, orchestrationsFinished: 0 };
    for (const p of this.points(now - windowMs, now)) {
      r.tasksCompleted += p.tasksCompleted;
      r.tasksFailed += p.tasksFailed;
      r.retries += p.retries;
      r.compensations += p.compensations;
      r.orchestrationsFinished += p.orchestrationsFinished;
      overheadSum += (p.meanCoordinationOverhead ?? 0) * p.orchestrationsFinished;
    }
    return {
      windowMs,
      throughputPerSec: (r.tasksCompleted * 1000) / windowMs,
      ...r,
      meanCoordinationOverhead: r.orchestrationsFinished > 0 ? overheadSum / r.orchestrationsFinished : null,
    };
  }

  /** Busy milliseconds per level in the buckets of `[from, to]`. */
  busyByLevel(from: number, to: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.points(from, to)) {
      for (const [level, ms] of Object.entries(p.busyMsByLevel)) out[level] = (out[level] ?? 0) + ms;
    }
    return out;
  }

  private bucket(ts: number): Bucket {
    const index = Math.floor(ts / this.bucketMs);
    let b = this.buckets.get(index);
    if (!b) {
      b = {
        index,
        tasksCompleted: 0,
        tasksFailed: 0,
        retries: 0,
        compensations: 0,
        orchestrationsFinished: 0,
        overheadSum: 0,
        maxQueueDepth: 0,
        busyMsByLevel: {},
      };
      this.buckets.set(index, b);
      this.evict();
    }
    return b;
  }

  private evict(): void {
    if (this.buckets.size <= this.maxBuckets) return;
    let newest = Number.NEGATIVE_INFINITY;
    for (const k of this.buckets.keys()) if (k > newest) newest = k;
    for (const k of [...this.buckets.keys()]) if (k <= newest - this.maxBuckets) this.buckets.delete(k);
  }
}

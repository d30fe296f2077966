/** A figure a workload reports besides its time (a count, a ratio, a hash, a check). */
export type Extra = number | string | boolean;

/** What the parent asks one child process to measure. */
export interface ChildRequest {
  /** Workload name (`fanout`, `timers`, …). */
  readonly workload: string;
  /** Variant of the workload (`raw`, `p-limit`, `echelon`, …). */
  readonly variant: string;
  /** Size: tasks, leaves, agents, nodes … as the workload defines it. */
  readonly size: number;
  /** Untimed iterations before measuring (JIT warm-up); the first is reported as cold. 0: none (the first measured iteration is the cold one). */
  readonly warmup: number;
  /** Measured iterations; the child reports each. */
  readonly reps: number;
  /** Workload-specific options (concurrency cap, …). */
  readonly options?: Readonly<Record<string, Extra>>;
  /** Profile the measured iterations with the V8 CPU profiler and report the top self-time functions. */
  readonly profile?: boolean;
}

/** One function in a CPU profile summary. */
export interface HotSpot {
  /** `file:function` (file relative to the repository, `src` for Echelon packages). */
  readonly name: string;
  /** Self time in milliseconds. */
  readonly selfMs: number;
  /** Share of the profiled time, percent. */
  readonly percent: number;
}

/** The top of a CPU profile. */
export interface ProfileSummary {
  /** Profiled time, milliseconds. */
  readonly totalMs: number;
  /** Share of garbage collection, percent. */
  readonly gcPercent: number;
  /** Share of idle time (waiting on timers or I/O), percent. */
  readonly idlePercent: number;
  /** Functions by self time, highest first. */
  readonly top: readonly HotSpot[];
  /**
   * Time by the nearest Echelon function on the stack: the self time of Node internals and
   * dependencies is charged to the Echelon function that called them; what runs under the
   * workload's task bodies is charged to `(task bodies of the workload)`; idle and GC are excluded.
   */
  readonly byEchelonFrame: readonly HotSpot[];
  /** Self time per Echelon package (`core`, `patterns-mapreduce`, …) and `other`, percent. */
  readonly byPackage: Readonly<Record<string, number>>;
}

/** What one child process prints (one JSON line on stdout). */
export interface ChildResult {
  readonly workload: string;
  readonly variant: string;
  readonly size: number;
  /** Time of the first (cold) iteration, milliseconds. */
  readonly coldMs: number;
  /** Times of the measured iterations, milliseconds. */
  readonly samplesMs: readonly number[];
  /** Median of `samplesMs`. */
  readonly ms: number;
  /** Peak resident set size of the child, MB (`process.resourceUsage().maxRSS`). */
  readonly peakRssMb: number;
  /** Resident set size after loading the modules, before the workload ran, MB. */
  readonly baseRssMb: number;
  /** Workload figures of the measured iterations (numbers: median). */
  readonly extra: Readonly<Record<string, Extra>>;
  /** CPU profile summary, when asked for. */
  readonly profile?: ProfileSummary;
}

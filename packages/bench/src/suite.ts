import type { Extra } from "./child/protocol.js";

/** One measured case: a workload at one size, its variants compared against a baseline. */
export interface CaseSpec {
  /** Key used in the report and the JSON (`fanout@10000`). */
  readonly key: string;
  readonly workload: string;
  readonly size: number;
  /** Variants, each measured `runs` times in fresh processes, interleaved. */
  readonly variants: readonly string[];
  /** Variants the others are compared with (ratios), first = primary. */
  readonly baselines: readonly string[];
  /** Untimed iterations per child (the first is the cold one). */
  readonly warmup: number;
  /** Measured iterations per child. */
  readonly reps: number;
  /** Child processes per variant. */
  readonly runs: number;
  /** Workload options. */
  readonly options?: Readonly<Record<string, Extra>>;
  /** What `size` means, for the report (default: the number). */
  readonly sizeLabel?: string;
  /** Tasks per iteration, to express times per task (defaults to `size`). */
  readonly tasks?: number;
}

/** Which suite to run: `full` (`pnpm bench`) or `smoke` (tiny sizes, one run each, for tests). */
export type SuiteMode = "full" | "smoke";

const LEAVES_FULL = [1_000, 3_000, 10_000, 30_000, 100_000];
const AGENTS_FULL = [10, 100, 1_000, 10_000];

function fanoutRuns(size: number): Pick<CaseSpec, "warmup" | "reps" | "runs"> {
  if (size <= 3_000) return { warmup: 3, reps: 5, runs: 7 };
  if (size <= 10_000) return { warmup: 4, reps: 3, runs: 7 };
  if (size <= 30_000) return { warmup: 1, reps: 2, runs: 5 };
  // Three back-to-back runs per child (Echelon: on one orchestrator), so peak RSS includes
  // what a long-lived orchestrator keeps of finished runs.
  return { warmup: 1, reps: 2, runs: 3 };
}

/**
 * The cases of a suite. `full` is what `pnpm bench` runs (about ten minutes on two idle cores);
 * `smoke` runs every workload once at tiny sizes so the harness cannot rot.
 *
 * @param mode - which suite
 * @returns the cases, in run order
 */
export function suiteCases(mode: SuiteMode): CaseSpec[] {
  const smoke = mode === "smoke";
  const leaves = smoke ? [200, 400] : LEAVES_FULL;
  const agents = smoke ? [5, 20] : AGENTS_FULL;
  const one = { warmup: 1, reps: 1, runs: 1 };
  const cases: CaseSpec[] = [];
  for (const size of leaves) {
    const core = smoke || size === 10_000 || size === 100_000;
    cases.push({
      key: `fanout@${size}`,
      workload: "fanout",
      size,
      variants: [
        "raw",
        "p-limit",
        "echelon",
        ...(core ? ["echelon-run-only", "echelon-core"] : []),
        ...(smoke || size === 100_000 ? ["echelon-no-journal"] : []),
      ],
      baselines: ["p-limit", "raw"],
      options: { cap: 100 },
      ...(smoke ? one : fanoutRuns(size)),
    });
  }
  for (const size of smoke ? [200] : [10_000, 100_000]) {
    const once = size >= 100_000;
    cases.push({
      key: `journal@${size}`,
      workload: "journal",
      size,
      sizeLabel: `${size.toLocaleString("en-US")} no-op leaves (W1), until the last event is committed`,
      variants: once ? ["memory", "sqlite-normal"] : ["memory", "sqlite-normal", "sqlite-full"],
      baselines: ["memory"],
      options: { cap: 100 },
      ...(smoke ? one : once ? { warmup: 0, reps: 1, runs: 3 } : { warmup: 1, reps: 3, runs: 5 }),
    });
  }
  cases.push({
    key: `resume@${smoke ? 200 : 10_000}`,
    workload: "resume",
    size: smoke ? 200 : 10_000,
    sizeLabel: "leaves of a crashed W1 run, all but one done",
    tasks: 1,
    variants: ["sqlite-cold"],
    baselines: [],
    // No warm-up: the one measured iteration of each child is a cold resume.
    ...(smoke ? { warmup: 0, reps: 1, runs: 1 } : { warmup: 0, reps: 1, runs: 7 }),
  });
  cases.push({
    key: "timers",
    workload: "timers",
    size: smoke ? 200 : 1_000,
    variants: ["raw", "p-limit", "echelon", "echelon-run-only", "echelon-core"],
    baselines: ["p-limit", "raw"],
    options: { cap: smoke ? 20 : 100, timerMs: 10 },
    // Steady state, as a server meets it: the first iterations of a fresh process run the
    // planning and dispatch code before the JIT has optimised it (about eight calls).
    ...(smoke ? one : { warmup: 8, reps: 5, runs: 5 }),
  });
  cases.push({
    key: "wordcount",
    workload: "wordcount",
    size: smoke ? 20 : 1_000,
    sizeLabel: smoke ? "the first 20 README files" : "every README file found (at most 1,000)",
    variants: ["loop", "p-limit", "echelon", "echelon-run-only"],
    baselines: ["loop", "p-limit"],
    options: { cap: 4 },
    ...(smoke ? one : { warmup: 2, reps: 5, runs: 7 }),
  });
  cases.push({
    key: "tree",
    workload: "tree",
    size: 100,
    variants: ["raw", "p-limit", "echelon", "echelon-run-only"],
    baselines: ["raw", "p-limit"],
    options: { branches: 10, timerMs: 10 },
    ...(smoke ? one : { warmup: 10, reps: 10, runs: 7 }),
  });
  for (const size of agents) {
    cases.push({
      key: `agents@${size}`,
      workload: "agents",
      size,
      tasks: smoke ? 400 : 10_000,
      variants: ["p-limit", "echelon", "echelon-pool"],
      baselines: ["p-limit"],
      options: { tasks: smoke ? 400 : 10_000 },
      ...(smoke ? one : size >= 10_000 ? { warmup: 1, reps: 1, runs: 3 } : { warmup: 1, reps: 2, runs: 5 }),
    });
  }
  // Start-up, each iteration in a new Node process (timed inside it).
  cases.push({
    key: "import",
    workload: "import",
    size: 1,
    sizeLabel: "one import in a new process",
    variants: ["p-limit", "echelon"],
    baselines: ["p-limit"],
    ...(smoke ? one : { warmup: 1, reps: 3, runs: 3 }),
  });
  cases.push({
    key: "cold",
    workload: "cold",
    size: smoke ? 200 : 10_000,
    sizeLabel: `import and the first W1 run of ${smoke ? 200 : "10,000"} leaves in a new process`,
    variants: ["raw", "p-limit", "echelon"],
    baselines: ["p-limit", "raw"],
    ...(smoke ? one : { warmup: 1, reps: 3, runs: 3 }),
  });
  // Memory of a long-lived orchestrator over back-to-back runs (live heap after each, --expose-gc).
  cases.push({
    key: "soak",
    workload: "soak",
    size: smoke ? 200 : 100_000,
    sizeLabel: `${smoke ? 3 : 8} back-to-back W1 runs of ${smoke ? 200 : "100,000"} leaves on one orchestrator`,
    tasks: (smoke ? 3 : 8) * (smoke ? 200 : 100_000),
    variants: ["echelon", "echelon-keep-all"],
    baselines: [],
    options: { runs: smoke ? 3 : 8, heap: true },
    warmup: 0,
    reps: 1,
    runs: smoke ? 1 : 2,
  });
  const nodes = smoke ? 300 : 10_000;
  cases.push({
    key: "decompose",
    workload: "planning",
    size: 1,
    variants: ["decompose"],
    baselines: [],
    // Steady state: a few milliseconds a call, so the JIT needs some tens of calls.
    ...(smoke ? one : { warmup: 50, reps: 30, runs: 5 }),
  });
  cases.push({
    key: "validate",
    workload: "planning",
    size: nodes,
    variants: ["json-clone", "validate", "spec-to-plan"],
    baselines: ["json-clone"],
    ...(smoke ? one : { warmup: 3, reps: 10, runs: 5 }),
  });
  cases.push({
    key: "saga",
    workload: "saga",
    size: smoke ? 5 : 100,
    variants: ["hand", "echelon"],
    baselines: ["hand"],
    options: { steps: 5 },
    ...(smoke ? one : { warmup: 2, reps: 5, runs: 5 }),
  });
  cases.push({
    key: "quorum",
    workload: "quorum",
    size: smoke ? 5 : 100,
    variants: ["hand", "echelon"],
    baselines: ["hand"],
    options: { replicas: 5, quorum: 3 },
    ...(smoke ? one : { warmup: 2, reps: 5, runs: 5 }),
  });
  cases.push(...remoteCases(smoke));
  return cases;
}

/**
 * The remote cases (BullMQ on a local Redis the bench starts; skipped, and said so, without
 * `redis-server`): W1 and W2 through two worker-host processes against raw BullMQ with the
 * same workers, and a CPU-heavy map on two hosts against one.
 */
function remoteCases(smoke: boolean): CaseSpec[] {
  const one = { warmup: 1, reps: 1, runs: 1 };
  // Echelon keeps 200 jobs in flight: twice the hosts' 100 slots, so a host never waits for the orchestrator.
  const hosts = { redis: true, hosts: 2, concurrency: 50, cap: 200 };
  return [
    {
      key: "remote-noop",
      workload: "remote",
      size: smoke ? 200 : 10_000,
      variants: ["bullmq", "echelon"],
      baselines: ["bullmq"],
      options: { ...hosts, body: "noop" },
      ...(smoke ? one : { warmup: 1, reps: 2, runs: 5 }),
    },
    {
      key: "remote-timers",
      workload: "remote",
      size: smoke ? 100 : 1_000,
      variants: ["bullmq", "echelon"],
      baselines: ["bullmq"],
      options: { ...hosts, body: "timer", timerMs: 10 },
      ...(smoke ? one : { warmup: 1, reps: 3, runs: 5 }),
    },
    {
      key: "remote-roundtrips",
      workload: "remote",
      size: smoke ? 100 : 1_000,
      variants: ["bullmq", "echelon"],
      baselines: [],
      options: { ...hosts, body: "noop", monitor: true },
      sizeLabel: `${smoke ? 100 : 1_000} no-op tasks under MONITOR (times not comparable)`,
      ...(smoke ? one : { warmup: 1, reps: 1, runs: 1 }),
    },
    {
      key: "remote-cpu",
      workload: "remote",
      size: smoke ? 4 : 40,
      variants: ["echelon-1-host", "echelon"],
      baselines: ["echelon-1-host"],
      options: { redis: true, body: "cpu", hosts: 2, concurrency: 1, cap: 4, rounds: smoke ? 2_000 : 40_000 },
      sizeLabel: smoke ? "4 tasks" : "40 tasks × 40,000 chained SHA-256",
      ...(smoke ? one : { warmup: 1, reps: 2, runs: 5 }),
    },
  ];
}

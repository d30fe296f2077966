import type { TaskSpec } from "echelon";

/** The plans the harness runs; each is fixed, so a fault-free run gives one output. */
export type PlanName = "mixed" | "cancel" | "remote-cancel" | "map-reduce";

/** What an agent does for a leaf, read from the leaf's `metadata.act`. */
export type Act =
  /** Applies its effect and returns a value derived from its id and input. */
  | "effect"
  /** A compensating task: applies its effect (the undo). */
  | "undo"
  /** Fails for good (a `NonRetryableError`), applying nothing. */
  | "fail"
  /** Cancels its own orchestration, then waits for the abort: "a cancel while this step runs". */
  | "cancel"
  /** In the first process, signals the parent and waits for its cancel; resumed, applies its effect at once. */
  | "wait-for-cancel";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** A leaf that applies an effect. */
const leaf = (id: string, input?: unknown, extra: Partial<TaskSpec> = {}): TaskSpec => ({
  id,
  description: `do ${id}`,
  ...(input !== undefined ? { input } : {}),
  ...extra,
});

/** A saga step whose compensating task undoes it. */
const step = (id: string, act: Act = "effect"): TaskSpec => ({
  id,
  description: `do ${id}`,
  metadata: { act },
  compensate: { description: `undo ${id}`, metadata: { act: "undo" } },
});

/** A map-reduce stage of `n` leaves summing `i² + 1`. */
const mapReduce = (id: string, n: number): TaskSpec => ({
  id,
  description: `sum ${n} squares`,
  pattern: "mapreduce",
  patternOptions: { reducer: "sum" },
  children: range(n).map((i) => leaf(`${id}-${i}`, i)),
});

/**
 * The mixed plan: a pipeline of a map-reduce, a fork-join DAG, a scatter-gather and a
 * fork-join (`all-settled`) over two sagas. Saga `ship` completes its three steps; saga `bill`
 * fails at its fourth step, so its three completed steps are compensated in reverse order.
 * The root completes (the all-settled join reports the failed saga as an outcome).
 */
function mixedPlan(): TaskSpec {
  return {
    id: "release",
    description: "release a build",
    pattern: "pipeline",
    children: [
      mapReduce("count", 8),
      {
        id: "checks",
        description: "run the checks",
        pattern: "fork-join",
        patternOptions: { passOutputs: true },
        children: [
          leaf("lint"),
          leaf("unit"),
          leaf("build", undefined, { dependsOn: ["lint", "unit"] }),
          leaf("package", undefined, { dependsOn: ["build"] }),
        ],
      },
      {
        id: "vote",
        description: "ask three reviewers",
        pattern: "scatter-gather",
        patternOptions: { gather: "all" },
        children: ["ana", "ben", "eve"].map((who) => leaf(`review-${who}`, who)),
      },
      {
        id: "deploy",
        description: "ship and bill",
        pattern: "fork-join",
        patternOptions: { join: "all-settled" },
        children: [
          {
            id: "ship",
            description: "ship the order",
            pattern: "saga",
            children: [step("reserve"), step("charge"), step("label")],
          },
          {
            id: "bill",
            description: "bill the customer",
            pattern: "saga",
            children: [step("hold"), step("debit"), step("notify"), step("settle", "fail")],
          },
        ],
      },
    ],
  };
}

/**
 * The cancel plan: a map-reduce, then a saga whose third step cancels the orchestration while
 * it runs (from its agent, so the moment is the same in every run). The two completed steps
 * are compensated; the run ends `cancelled`.
 */
function cancelPlan(): TaskSpec {
  return {
    id: "order",
    description: "take an order, cancelled at payment",
    pattern: "pipeline",
    children: [
      mapReduce("price", 4),
      {
        id: "checkout",
        description: "check out",
        pattern: "saga",
        children: [step("reserve"), step("charge"), step("confirm", "cancel"), step("ship")],
      },
    ],
  };
}

/**
 * The remote-cancel plan: like the cancel plan, but the cancel comes from the parent process
 * through the journal (`store.requestCancel`) while step `wait` runs.
 */
function remoteCancelPlan(): TaskSpec {
  return {
    id: "order",
    description: "take an order, cancelled from another process",
    pattern: "pipeline",
    children: [
      mapReduce("price", 3),
      {
        id: "checkout",
        description: "check out",
        pattern: "saga",
        children: [step("reserve"), step("wait", "wait-for-cancel"), step("ship")],
      },
    ],
  };
}

/** One map-reduce of `leaves` leaves (2,000 in the harness). */
function mapReducePlan(leaves: number): TaskSpec {
  return mapReduce("squares", leaves);
}

/**
 * The task spec of a plan.
 *
 * @param name - which plan
 * @param leaves - leaves of the `map-reduce` plan
 */
export function planSpec(name: PlanName, leaves = 2000): TaskSpec {
  switch (name) {
    case "mixed":
      return mixedPlan();
    case "cancel":
      return cancelPlan();
    case "remote-cancel":
      return remoteCancelPlan();
    case "map-reduce":
      return mapReducePlan(leaves);
  }
}

/** Node paths of the sagas of a plan and their step ids, in order (for the saga invariant). */
export function sagasOf(name: PlanName): ReadonlyMap<string, readonly string[]> {
  switch (name) {
    case "mixed":
      return new Map([
        ["release/deploy/ship", ["reserve", "charge", "label"]],
        ["release/deploy/bill", ["hold", "debit", "notify", "settle"]],
      ]);
    case "cancel":
      return new Map([["order/checkout", ["reserve", "charge", "confirm", "ship"]]]);
    case "remote-cancel":
      return new Map([["order/checkout", ["reserve", "wait", "ship"]]]);
    case "map-reduce":
      return new Map();
  }
}

/** Node paths of a plan's fork-join DAG and scatter-gather stages (for naming the kill moments). */
export function otherStagesOf(name: PlanName): ReadonlyMap<string, "fork-join DAG" | "scatter-gather"> {
  return name === "mixed"
    ? new Map([
        ["release/checks", "fork-join DAG"],
        ["release/vote", "scatter-gather"],
      ] as const)
    : new Map();
}

/** Node paths of the map-reduce nodes of a plan (for naming the kill moments). */
export function mapReducesOf(name: PlanName): readonly string[] {
  switch (name) {
    case "mixed":
      return ["release/count"];
    case "cancel":
    case "remote-cancel":
      return ["order/price"];
    case "map-reduce":
      return ["squares"];
  }
}

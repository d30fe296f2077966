import { functionAgent, type HierarchicalOrchestratorOptions, type TaskSpec } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { type Flavour, planIteration, prepared } from "./echelon-setup.js";
import { wholeCall } from "./long-lived.js";

function capOf(options: Readonly<Record<string, unknown>>): number {
  return typeof options.cap === "number" ? options.cap : 100;
}

const sumOf = (outputs: unknown): number => (outputs as number[]).reduce((a, b) => a + b, 0);

const raw: VariantFactory = async (size) => async () => ({
  run: () => Promise.all(Array.from({ length: size }, (_, i) => noopBody(i))),
  finish(outputs) {
    expectEqual("fanout/raw", sumOf(outputs), expectedSum(size));
    return {};
  },
});

const limited: VariantFactory = async (size, options) => async () => {
  const limit = pLimit(capOf(options));
  return {
    run: () => Promise.all(Array.from({ length: size }, (_, i) => limit(() => noopBody(i)))),
    finish(outputs) {
      expectEqual("fanout/p-limit", sumOf(outputs), expectedSum(size));
      return {};
    },
  };
};

/** The W1 spec: `size` leaves, outputs collected in order (`concat`, or the bench's window-collect pattern for core). */
function fanoutSpec(flavour: Flavour, size: number): TaskSpec {
  return {
    id: "fanout",
    description: `${size} no-op leaves`,
    pattern: flavour === "core" ? "bench-window-collect" : "mapreduce",
    patternOptions: flavour === "core" ? {} : { reducer: "concat" },
    children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
  };
}

/** Throws unless the output is 0 … size − 1 in order. */
function checkInOrder(what: string, output: unknown, size: number): undefined {
  const ok = Array.isArray(output) && output.length === size && output.every((v, i) => v === i);
  if (!ok)
    expectEqual(
      what,
      output,
      Array.from({ length: size }, (_, i) => i),
    );
  return undefined;
}

const agent = functionAgent({ name: "noop" }, (work) => noopBody(work.input as number));

function options(cap: number, journal: boolean): HierarchicalOrchestratorOptions {
  return {
    maxDepth: 1,
    maxAgentsPerLevel: [1, cap],
    agents: [agent],
    ...(journal ? {} : { eventStore: null }),
  };
}

/** The whole call on one long-lived orchestrator (see {@link wholeCall}). */
function echelon(flavour: Flavour, journal = true): VariantFactory {
  return async (size, opts) => {
    const what = `fanout/${flavour}`;
    return wholeCall(what, flavour, options(capOf(opts), journal), fanoutSpec(flavour, size), (output) =>
      checkInOrder(what, output, size),
    );
  };
}

/** The run alone: a fresh orchestrator and the plan made before the timer starts. */
const runOnly: VariantFactory = async (size, opts) => {
  const spec = fanoutSpec("echelon", size);
  return async () => {
    const setup = await prepared("echelon", options(capOf(opts), true), spec);
    return planIteration("fanout/echelon-run-only", setup, (output) =>
      checkInOrder("fanout/echelon-run-only", output, size),
    );
  };
};

/**
 * W1 — fan-out of no-op leaves, every output collected in order: `raw` (Promise.all, no cap),
 * `p-limit` (same cap), `echelon` (the batteries-included orchestrator, map-reduce with the
 * `concat` reducer; the whole `orchestrateComplexTask(spec)` call on one long-lived orchestrator),
 * `echelon-run-only` (the same run on a fresh orchestrator, its plan made before the timer),
 * `echelon-core` (core alone with a minimal window pattern collecting in order) and
 * `echelon-no-journal` (`echelon` with `eventStore: null`, to attribute memory to the journal).
 * Option `cap` (default 100).
 */
export const fanoutWorkload: Workload = {
  name: "fanout",
  variants: {
    raw,
    "p-limit": limited,
    echelon: echelon("echelon"),
    "echelon-run-only": runOnly,
    "echelon-core": echelon("core"),
    "echelon-no-journal": echelon("echelon", false),
  },
};

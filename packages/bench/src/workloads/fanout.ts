import { functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { type Flavour, planIteration, prepared } from "./echelon-setup.js";

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

function echelon(flavour: Flavour, journal = true): VariantFactory {
  return async (size, options) => {
    const spec = {
      id: "fanout",
      description: `${size} no-op leaves`,
      pattern: flavour === "core" ? "bench-window-sum" : "mapreduce",
      patternOptions: flavour === "core" ? {} : { reducer: "sum" },
      children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
    };
    const agent = functionAgent({ name: "noop" }, (work) => noopBody(work.input as number));
    return async () => {
      const setup = await prepared(
        flavour,
        {
          maxDepth: 1,
          maxAgentsPerLevel: [1, capOf(options)],
          agents: [agent],
          ...(journal ? {} : { eventStore: null }),
        },
        spec,
      );
      return planIteration(`fanout/${flavour}`, setup, (output) => {
        expectEqual(`fanout/${flavour}`, output, expectedSum(size));
        return undefined;
      });
    };
  };
}

/**
 * W1 — fan-out of no-op leaves: `raw` (Promise.all, no cap), `p-limit` (same cap),
 * `echelon` (the batteries-included orchestrator, map-reduce with the `sum` reducer) and
 * `echelon-core` (core alone with a minimal windowed pattern) and `echelon-no-journal` (`echelon`
 * with `eventStore: null`, to attribute memory to the journal). Option `cap` (default 100).
 */
export const fanoutWorkload: Workload = {
  name: "fanout",
  variants: {
    raw,
    "p-limit": limited,
    echelon: echelon("echelon"),
    "echelon-core": echelon("core"),
    "echelon-no-journal": echelon("echelon", false),
  },
};

import { functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { Trial, VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { expectSuccess, type Flavour, prepared, resultFigures } from "./echelon-setup.js";

/** Options of the fan-out workload. */
function capOf(options: Readonly<Record<string, unknown>>): number {
  return typeof options.cap === "number" ? options.cap : 100;
}

const raw: VariantFactory = async (size) => async () => {
  const start = performance.now();
  const outputs = await Promise.all(Array.from({ length: size }, (_, i) => noopBody(i)));
  const ms = performance.now() - start;
  expectEqual("fanout/raw", outputs.reduce((a, b) => a + b, 0), expectedSum(size));
  return { ms };
};

const limited: VariantFactory = async (size, options) => async () => {
  const limit = pLimit(capOf(options));
  const start = performance.now();
  const outputs = await Promise.all(Array.from({ length: size }, (_, i) => limit(() => noopBody(i))));
  const ms = performance.now() - start;
  expectEqual("fanout/p-limit", outputs.reduce((a, b) => a + b, 0), expectedSum(size));
  return { ms };
};

function echelon(flavour: Flavour): VariantFactory {
  return async (size, options) => {
    const spec = {
      id: "fanout",
      description: `${size} no-op leaves`,
      pattern: flavour === "core" ? "bench-window-sum" : "mapreduce",
      patternOptions: flavour === "core" ? {} : { reducer: "sum" },
      children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `task ${i}`, input: i })),
    };
    const trial: Trial = async () => {
      const { orchestrator, plan, planMs } = await prepared(
        flavour,
        {
          maxDepth: 1,
          maxAgentsPerLevel: [1, capOf(options)],
          agents: [functionAgent({ name: "noop" }, (work) => noopBody(work.input as number))],
        },
        spec,
      );
      const start = performance.now();
      const result = await orchestrator.orchestrateComplexTask(plan);
      const ms = performance.now() - start;
      await orchestrator.shutdown();
      expectSuccess(`fanout/${flavour}`, result);
      expectEqual(`fanout/${flavour}`, result.result, expectedSum(size));
      return { ms, extra: { ...resultFigures(result), planMs } };
    };
    return trial;
  };
}

/**
 * W1 — fan-out of no-op leaves: `raw` (Promise.all, no cap), `p-limit` (same cap),
 * `echelon` (the batteries-included orchestrator, map-reduce with the `sum` reducer) and
 * `echelon-core` (core alone with a minimal windowed pattern). Option `cap` (default 100).
 */
export const fanoutWorkload: Workload = {
  name: "fanout",
  variants: { raw, "p-limit": limited, echelon: echelon("echelon"), "echelon-core": echelon("core") },
};

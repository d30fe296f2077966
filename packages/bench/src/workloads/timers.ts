import { functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual, timerBody, workerPool } from "./bodies.js";
import { expectSuccess, type Flavour, prepared, resultFigures } from "./echelon-setup.js";

function settings(options: Readonly<Record<string, unknown>>): { cap: number; timerMs: number } {
  return {
    cap: typeof options.cap === "number" ? options.cap : 100,
    timerMs: typeof options.timerMs === "number" ? options.timerMs : 10,
  };
}

const raw: VariantFactory = async (size, options) => async () => {
  const { cap, timerMs } = settings(options);
  const start = performance.now();
  const outputs = await workerPool(size, cap, () => timerBody(timerMs));
  const ms = performance.now() - start;
  expectEqual("timers/raw", outputs.length, size);
  return { ms, extra: { idealMs: Math.ceil(size / cap) * timerMs } };
};

const limited: VariantFactory = async (size, options) => async () => {
  const { cap, timerMs } = settings(options);
  const limit = pLimit(cap);
  const start = performance.now();
  const outputs = await Promise.all(Array.from({ length: size }, () => limit(() => timerBody(timerMs))));
  const ms = performance.now() - start;
  expectEqual("timers/p-limit", outputs.length, size);
  return { ms };
};

function echelon(flavour: Flavour): VariantFactory {
  return async (size, options) => {
    const { cap, timerMs } = settings(options);
    const spec = {
      id: "timers",
      description: `${size} timers of ${timerMs} ms`,
      pattern: flavour === "core" ? "bench-window-sum" : "mapreduce",
      patternOptions: flavour === "core" ? {} : { reducer: "sum" },
      children: Array.from({ length: size }, (_, i) => ({ id: `t${i}`, description: `timer ${i}`, input: timerMs })),
    };
    return async () => {
      const { orchestrator, plan } = await prepared(
        flavour,
        {
          maxDepth: 1,
          maxAgentsPerLevel: [1, cap],
          agents: [functionAgent({ name: "timer" }, (work, ctx) => timerBody(work.input as number, ctx.signal))],
        },
        spec,
      );
      const start = performance.now();
      const result = await orchestrator.orchestrateComplexTask(plan);
      const ms = performance.now() - start;
      await orchestrator.shutdown();
      expectSuccess(`timers/${flavour}`, result);
      expectEqual(`timers/${flavour}`, result.result, size);
      return { ms, extra: resultFigures(result) };
    };
  };
}

/**
 * W2 — `size` tasks × a real timer on `cap` slots (defaults 10 ms, 100): `raw` (a hand-written
 * worker pool), `p-limit`, `echelon` (map-reduce, `sum`), `echelon-core` (minimal window pattern).
 */
export const timersWorkload: Workload = {
  name: "timers",
  variants: { raw, "p-limit": limited, echelon: echelon("echelon"), "echelon-core": echelon("core") },
};

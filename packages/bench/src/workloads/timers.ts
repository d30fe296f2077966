import { functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual, sharedSignal, timerBody, workerPool } from "./bodies.js";
import type { Flavour } from "./echelon-setup.js";
import { echelonTrial, type Timing } from "./long-lived.js";

function settings(options: Readonly<Record<string, unknown>>): { cap: number; timerMs: number } {
  return {
    cap: typeof options.cap === "number" ? options.cap : 100,
    timerMs: typeof options.timerMs === "number" ? options.timerMs : 10,
  };
}

const raw: VariantFactory = async (size, options) => async () => {
  const { cap, timerMs } = settings(options);
  // The same body as the agents': a cancellable timer (one controller, as a user would wire it).
  const signal = sharedSignal();
  return {
    run: () => workerPool(size, cap, () => timerBody(timerMs, signal)),
    finish(outputs) {
      expectEqual("timers/raw", (outputs as number[]).length, size);
      return { idealMs: Math.ceil(size / cap) * timerMs };
    },
  };
};

const limited: VariantFactory = async (size, options) => async () => {
  const { cap, timerMs } = settings(options);
  const limit = pLimit(cap);
  const signal = sharedSignal();
  return {
    run: () => Promise.all(Array.from({ length: size }, () => limit(() => timerBody(timerMs, signal)))),
    finish(outputs) {
      expectEqual("timers/p-limit", (outputs as number[]).length, size);
      return {};
    },
  };
};

function echelon(flavour: Flavour, timing: Timing = "whole-call"): VariantFactory {
  return async (size, options) => {
    const { cap, timerMs } = settings(options);
    const spec = {
      id: "timers",
      description: `${size} timers of ${timerMs} ms`,
      pattern: flavour === "core" ? "bench-window-sum" : "mapreduce",
      patternOptions: flavour === "core" ? {} : { reducer: "sum" },
      children: Array.from({ length: size }, (_, i) => ({
        id: `t${i}`,
        description: `timer ${i}`,
        input: timerMs,
      })),
    };
    const agent = functionAgent({ name: "timer" }, (work, ctx) =>
      timerBody(work.input as number, ctx.signal),
    );
    const what = `timers/${flavour}${timing === "run-only" ? "-run-only" : ""}`;
    return echelonTrial(
      timing,
      what,
      flavour,
      { maxDepth: 1, maxAgentsPerLevel: [1, cap], agents: [agent] },
      spec,
      (output) => {
        expectEqual(what, output, size);
        return undefined;
      },
    );
  };
}

/**
 * W2 — `size` tasks × a real timer on `cap` slots (defaults 10 ms, 100): `raw` (a hand-written
 * worker pool), `p-limit`, `echelon` (map-reduce, `sum`; the whole call on a long-lived
 * orchestrator), `echelon-run-only` (the run alone, fresh orchestrator), `echelon-core` (minimal
 * window pattern).
 */
export const timersWorkload: Workload = {
  name: "timers",
  variants: {
    raw,
    "p-limit": limited,
    echelon: echelon("echelon"),
    "echelon-run-only": echelon("echelon", "run-only"),
    "echelon-core": echelon("core"),
  },
};

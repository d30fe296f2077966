import { functionAgent, type TaskSpec } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectEqual, sharedSignal, timerBody } from "./bodies.js";
import { echelonTrial, type Timing } from "./long-lived.js";

interface TreeShape {
  readonly branches: number;
  readonly perBranch: number;
  readonly timerMs: number;
}

function shapeOf(size: number, options: Readonly<Record<string, unknown>>): TreeShape {
  const branches = typeof options.branches === "number" ? options.branches : 10;
  return {
    branches,
    perBranch: Math.max(1, Math.round(size / branches)),
    timerMs: typeof options.timerMs === "number" ? options.timerMs : 10,
  };
}

function nested(shape: TreeShape, leaf: () => Promise<number>): Promise<number[]> {
  return Promise.all(
    Array.from({ length: shape.branches }, () =>
      Promise.all(Array.from({ length: shape.perBranch }, leaf)).then((l) => l.length),
    ),
  );
}

function countCheck(what: string, shape: TreeShape) {
  return (outputs: unknown) => {
    expectEqual(
      what,
      (outputs as number[]).reduce((a, b) => a + b, 0),
      shape.branches * shape.perBranch,
    );
    return {};
  };
}

const raw: VariantFactory = async (size, options) => async () => {
  const shape = shapeOf(size, options);
  // The same body as the agents': a cancellable timer (one controller, as a user would wire it).
  const signal = sharedSignal();
  return {
    run: () => nested(shape, () => timerBody(shape.timerMs, signal)),
    finish: countCheck("tree/raw", shape),
  };
};

const limited: VariantFactory = async (size, options) => async () => {
  const shape = shapeOf(size, options);
  const limit = pLimit(shape.branches * shape.perBranch);
  const signal = sharedSignal();
  return {
    run: () => nested(shape, () => limit(() => timerBody(shape.timerMs, signal))),
    finish: countCheck("tree/p-limit", shape),
  };
};

const echelon =
  (timing: Timing): VariantFactory =>
  async (size, options) => {
    const shape = shapeOf(size, options);
    const spec: TaskSpec = {
      id: "root",
      description: `1 → ${shape.branches} → ${shape.branches * shape.perBranch} timers`,
      pattern: "fork-join",
      children: Array.from({ length: shape.branches }, (_, b) => ({
        id: `b${b}`,
        description: `branch ${b}`,
        pattern: "fork-join",
        children: Array.from({ length: shape.perBranch }, (_, l) => ({
          id: `l${l}`,
          description: `leaf ${l}`,
          input: shape.timerMs,
        })),
      })),
    };
    const agent = functionAgent({ name: "timer" }, (work, ctx) =>
      timerBody(work.input as number, ctx.signal),
    );
    const what = `tree/echelon${timing === "run-only" ? "-run-only" : ""}`;
    return echelonTrial(
      timing,
      what,
      "echelon",
      {
        maxDepth: 2,
        maxAgentsPerLevel: [1, shape.branches, shape.branches * shape.perBranch],
        agents: [agent],
      },
      spec,
      (output) => {
        const leaves = Object.values(output as Record<string, Record<string, number>>).reduce(
          (n, branch) => n + Object.values(branch).reduce((a, b) => a + b, 0),
          0,
        );
        expectEqual(what, leaves, shape.branches * shape.perBranch);
        return undefined;
      },
    );
  };

/**
 * W4 — a three-level hierarchy, 1 → `branches` → `size` leaves × a real timer, every leaf
 * allowed at once: `raw` (nested Promise.all), `p-limit` (cap = leaves) and `echelon`
 * (fork-join at both levels, caps [1, branches, leaves]; the whole call on a long-lived
 * orchestrator) and `echelon-run-only` (the run alone).
 */
export const treeWorkload: Workload = {
  name: "tree",
  variants: {
    raw,
    "p-limit": limited,
    echelon: echelon("whole-call"),
    "echelon-run-only": echelon("run-only"),
  },
};

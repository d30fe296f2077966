import type { Plan, TaskSpec } from "@echelon/core";
import { specToPlan, validateTaskSpec } from "@echelon/core/plugin";
import type { VariantFactory, Workload } from "../child/trial.js";
import { makeOrchestrator } from "./echelon-setup.js";

/** The enterprise example of the seed API, decomposed by the heuristic decomposer. */
export const ENTERPRISE_TASK =
  "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime";

/**
 * A two-level spec of exactly `size` nodes (root, √size branches, leaves spread over them).
 *
 * @param size - total nodes, at least 3
 * @returns the spec
 */
export function wideSpec(size: number): TaskSpec {
  const branches = Math.max(1, Math.round(Math.sqrt(size)));
  const leaves = Math.max(branches, size - 1 - branches);
  return {
    id: "root",
    description: `a spec of ${size} nodes`,
    pattern: "fork-join",
    children: Array.from({ length: branches }, (_, b) => {
      const n = Math.floor(leaves / branches) + (b < leaves % branches ? 1 : 0);
      return {
        id: `b${b}`,
        description: `branch ${b}`,
        pattern: "mapreduce",
        patternOptions: { reducer: "sum" },
        children: Array.from({ length: n }, (_, l) => ({
          id: `l${l}`,
          description: `leaf ${l} of branch ${b}`,
          input: { branch: b, leaf: l },
          capabilities: ["compute"],
        })),
      };
    }),
  };
}

const decompose: VariantFactory = async () => {
  const orchestrator = makeOrchestrator("echelon", { maxDepth: 4 });
  await orchestrator.start();
  // A spec without children bypasses the decomposer's cache: every call decomposes the text.
  return async () => ({
    run: () => orchestrator.plan({ description: ENTERPRISE_TASK }),
    finish(output) {
      const plan = output as Plan;
      return {
        nodes: plan.nodeCount,
        leaves: plan.leafCount,
        depth: plan.depth,
        rootPattern: plan.root.pattern ?? "none",
      };
    },
  });
};

const OPTIONS = { maxDepth: 2, patterns: ["fork-join", "mapreduce"] };

const validate: VariantFactory = async (size) => {
  const spec = wideSpec(size);
  return async () => ({
    run: async () => validateTaskSpec(spec, OPTIONS),
    finish: () => ({ nodes: size }),
  });
};

const toPlan: VariantFactory = async (size) => {
  const spec = wideSpec(size);
  return async () => ({
    run: async () => specToPlan(spec, OPTIONS),
    finish: (plan) => ({ nodes: (plan as Plan).nodeCount }),
  });
};

const jsonClone: VariantFactory = async (size) => {
  const spec = wideSpec(size);
  return async () => ({
    run: async () => JSON.parse(JSON.stringify(spec)) as TaskSpec,
    finish: (copy) => ({ branches: (copy as TaskSpec).children?.length ?? 0 }),
  });
};

/**
 * Planning: `decompose` (the enterprise example through `orchestrator.plan`, maxDepth 4),
 * `validate` (`validateTaskSpec` of a `size`-node spec), `spec-to-plan` (`specToPlan` of it)
 * and `json-clone` (a JSON round trip of the same spec, for scale).
 */
export const planningWorkload: Workload = {
  name: "planning",
  variants: { decompose, validate, "spec-to-plan": toPlan, "json-clone": jsonClone },
};

import { type Agent, functionAgent } from "@echelon/core";
import pLimit from "p-limit";
import type { VariantFactory, Workload } from "../child/trial.js";
import { expectedSum, expectEqual, noopBody } from "./bodies.js";
import { planIteration, prepared } from "./echelon-setup.js";

function tasksOf(options: Readonly<Record<string, unknown>>): number {
  return typeof options.tasks === "number" ? options.tasks : 10_000;
}

const limited: VariantFactory = async (size, options) => async () => {
  const tasks = tasksOf(options);
  const limit = pLimit(size);
  return {
    run: () => Promise.all(Array.from({ length: tasks }, (_, i) => limit(() => noopBody(i)))),
    finish(outputs) {
      expectEqual(
        "agents/p-limit",
        (outputs as number[]).reduce((a, b) => a + b, 0),
        expectedSum(tasks),
      );
      return { tasks };
    },
  };
};

function registeredAgents(count: number): Agent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `agent-${i}`,
    type: `agent-${i}`,
    capabilities: [],
    capacity: 1,
    execute: async (work) => noopBody(work.input as number),
  }));
}

function echelon(registered: boolean): VariantFactory {
  return async (size, options) => {
    const tasks = tasksOf(options);
    const spec = {
      id: "agents",
      description: `${tasks} no-op leaves over ${size} agents`,
      pattern: "mapreduce",
      patternOptions: { reducer: "sum" },
      children: Array.from({ length: tasks }, (_, i) => ({
        id: `t${i}`,
        description: `task ${i}`,
        input: i,
      })),
    };
    return async () => {
      const setup = await prepared(
        "echelon",
        {
          maxDepth: 1,
          maxAgentsPerLevel: [1, size],
          agents: registered
            ? registeredAgents(size)
            : [functionAgent({ name: "noop" }, (work) => noopBody(work.input as number))],
        },
        spec,
      );
      return planIteration("agents/echelon", setup, (output) => {
        expectEqual("agents/echelon", output, expectedSum(tasks));
        return { tasks };
      });
    };
  };
}

/**
 * Scaling in agents — `options.tasks` (default 10,000) no-op leaves over `size` agents:
 * `p-limit` (cap = size), `echelon` (`size` agents registered as objects, one type each) and
 * `echelon-pool` (one function agent type, up to `size` live instances).
 */
export const agentsWorkload: Workload = {
  name: "agents",
  variants: { "p-limit": limited, echelon: echelon(true), "echelon-pool": echelon(false) },
};

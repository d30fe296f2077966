import { functionAgent, HierarchicalOrchestrator, isEchelonError } from "@echelon/core";
import {
  type AgentLoad,
  definePlugin,
  type DistributionStrategy,
  type Pattern,
  type TaskRequest,
} from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { distributionStrategies } from "../src/index.js";

/** A minimal fork-join: every child at once. */
const allAtOnce: Pattern = {
  name: "fork-join",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};

/** A third-party strategy, as a plugin would ship it: always the most recently spawned candidate. */
function newestFirst(choices: Map<string, string>): DistributionStrategy {
  return {
    name: "newest-first",
    select(task: TaskRequest, candidates: readonly AgentLoad[]): number {
      const index = candidates.length - 1;
      choices.set(task.taskId, candidates[index]!.agentId);
      return index;
    },
  };
}

function spec(strategy?: string) {
  return {
    description: "hash six inputs",
    ...(strategy === undefined ? {} : { strategy }),
    children: Array.from({ length: 6 }, (_, i) => ({
      id: `t${i}`,
      description: `hash ${i}`,
      input: `input-${i}`,
    })),
  };
}

/** Agents that hold their first tasks until two have started, so both agents are alive when the rest are placed. */
function heldAgents(started: string[]) {
  let release!: () => void;
  const allStarted = new Promise<void>((resolve) => {
    release = resolve;
  });
  return functionAgent({ capacity: 4 }, async (work) => {
    started.push(work.taskId);
    if (started.length === 2) release();
    await allStarted;
    return String(work.input).length;
  });
}

async function run(options: { strategy?: string; nodeStrategy?: string }) {
  const choices = new Map<string, string>();
  const started: string[] = [];
  const orchestrator = new HierarchicalOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 2],
    agents: [heldAgents(started)],
    plugins: [
      distributionStrategies(),
      definePlugin({
        name: "echelon-strategy-newest-first",
        version: "1.0.0",
        register: (ctx) => {
          ctx.registerPattern(allAtOnce);
          ctx.registerStrategy(newestFirst(choices));
        },
      }),
    ],
    ...(options.strategy === undefined ? {} : { strategy: options.strategy }),
  });
  const placed = new Map<string, string>();
  orchestrator.events.on("task:started", (event) => {
    if (event.kind === "leaf") placed.set(event.taskId, event.agentId);
  });
  try {
    const result = await orchestrator.orchestrateComplexTask(spec(options.nodeStrategy));
    return { result, choices, placed };
  } finally {
    await orchestrator.shutdown();
  }
}

describe("strategies inside HierarchicalOrchestrator", () => {
  it("uses a third-party strategy registered by a plugin and chosen by name", async () => {
    const { result, choices, placed } = await run({ strategy: "newest-first" });
    expect(result.success).toBe(true);
    expect(choices.size).toBeGreaterThan(0);
    for (const [taskId, agentId] of choices) expect(placed.get(taskId)).toBe(agentId);
  });

  it("lets a plan node override the orchestrator's strategy", async () => {
    const { result, choices, placed } = await run({ strategy: "round-robin", nodeStrategy: "newest-first" });
    expect(result.success).toBe(true);
    expect(choices.size).toBeGreaterThan(0);
    for (const [taskId, agentId] of choices) expect(placed.get(taskId)).toBe(agentId);
  });

  it("runs with each built-in strategy", async () => {
    for (const strategy of ["round-robin", "least-loaded", "capability", "priority"]) {
      const { result, choices } = await run({ strategy });
      expect(result.success).toBe(true);
      expect(result.result).toEqual([7, 7, 7, 7, 7, 7]);
      expect(choices.size).toBe(0);
    }
  });

  it("fails before any work with ECHELON_AGENT_NO_CAPABILITY when no agent offers a capability", async () => {
    let ran = 0;
    const orchestrator = new HierarchicalOrchestrator({
      maxDepth: 1,
      agents: [functionAgent({ capabilities: ["coding"] }, () => ++ran)],
      plugins: [
        distributionStrategies(),
        definePlugin({ name: "p", version: "1", register: (c) => c.registerPattern(allAtOnce) }),
      ],
      strategy: "capability",
    });
    let caught: unknown;
    try {
      await orchestrator.orchestrateComplexTask({
        description: "release",
        children: [
          { id: "code", description: "code", capabilities: ["coding"] },
          { id: "deploy", description: "deploy", capabilities: ["deployment"] },
        ],
      });
    } catch (error) {
      caught = error;
    } finally {
      await orchestrator.shutdown();
    }
    expect(isEchelonError(caught, "ECHELON_AGENT_NO_CAPABILITY")).toBe(true);
    expect((caught as Error).message).toContain("deployment");
    expect(ran).toBe(0);
  });
});

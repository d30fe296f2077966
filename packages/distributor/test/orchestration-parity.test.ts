import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { definePlugin, type Pattern } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { distributionStrategies, WorkloadDistributor } from "../src/index.js";

/** Children one after another: each task is placed while every agent is idle, in both worlds. */
const oneByOne: Pattern = {
  name: "one-by-one",
  ordering: "sequential",
  async execute(children, ctx) {
    const out: unknown[] = [];
    for (const c of children) out.push(await ctx.runChild(c));
    return { result: out };
  },
};

/** A generalist (three capabilities, strong) and a specialist (one capability, weak). */
const AGENTS = [
  { type: "generalist", capabilities: ["code", "test", "docs"] },
  { type: "specialist", capabilities: ["test"] },
] as const;

/** Tasks of mixed needs and priorities (priority ≥ 1 is important to the priority strategy). */
const TASKS = [
  { capabilities: ["test"], priority: 0 },
  { capabilities: ["test"], priority: 2 },
  { capabilities: ["test"], priority: 0 },
  { capabilities: ["code"], priority: 0 },
  { capabilities: ["test"], priority: 0 },
  { capabilities: ["test"], priority: 2 },
  { capabilities: [], priority: 0 },
  { capabilities: ["test"], priority: 0 },
  { capabilities: ["docs"], priority: 1 },
  { capabilities: ["test"], priority: 0 },
];

function standaloneChoices(strategy: string): string[] {
  const distributor = new WorkloadDistributor({ strategy });
  for (const a of AGENTS) {
    distributor.registerAgent({
      agentId: `${a.type}#1`,
      agentType: a.type,
      capabilities: [...a.capabilities],
    });
  }
  return TASKS.map((t, i) => {
    const agentId = distributor.assign({
      taskId: `t${i}`,
      capabilities: t.capabilities,
      priority: t.priority,
    });
    distributor.complete(agentId, 1);
    return agentId;
  });
}

async function orchestratedChoices(strategy: string): Promise<string[]> {
  const o = new HierarchicalOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 2],
    agents: AGENTS.map((a) =>
      functionAgent({ name: a.type, capabilities: [...a.capabilities], maxInstances: 1 }, (w) => w.taskId),
    ),
    plugins: [
      distributionStrategies(),
      definePlugin({ name: "one-by-one", version: "1.0.0", register: (c) => c.registerPattern(oneByOne) }),
    ],
    strategy,
  });
  const ran = new Map<string, string>();
  o.events.on("task:started", (e) => {
    if (e.kind === "leaf") ran.set(e.taskId, e.agentId);
  });
  const result = await o.orchestrateComplexTask({
    description: "ten tasks",
    pattern: "one-by-one",
    children: TASKS.map((t, i) => ({ id: `t${i}`, description: `task ${i}`, ...t })),
  });
  await o.shutdown();
  expect(result.success).toBe(true);
  return TASKS.map((_, i) => ran.get(`t${i}`)!);
}

describe("strategies decide inside an orchestration as they do standalone", () => {
  for (const strategy of ["round-robin", "least-loaded", "capability", "priority"]) {
    it(`${strategy}: the orchestration and WorkloadDistributor choose the same agent for every task, spawning included`, async () => {
      const standalone = standaloneChoices(strategy);
      expect(await orchestratedChoices(strategy)).toEqual(standalone);
    });
  }

  it("the specialist runs the specialist work and the strong agent the important work", async () => {
    const capability = await orchestratedChoices("capability");
    expect(TASKS.map((t, i) => [t.capabilities.join(), capability[i]]).filter(([c]) => c === "test")).toEqual(
      TASKS.filter((t) => t.capabilities.join() === "test").map(() => ["test", "specialist#1"]),
    );
    const priority = await orchestratedChoices("priority");
    TASKS.forEach((t, i) => {
      if (t.capabilities.join() !== "test") return;
      expect(priority[i]).toBe(t.priority >= 1 ? "generalist#1" : "specialist#1");
    });
  });
});

import { describe, expect, it } from "vitest";
import { functionAgent, HierarchicalOrchestrator } from "../src/index.js";
import { leaves, testPatterns, timer } from "./support/test-patterns.js";

describe("agent hierarchy", () => {
  it("never exceeds level caps while 1,000 leaves compete (across concurrent orchestrations)", async () => {
    let running = 0;
    let maxRunning = 0;
    const worker = functionAgent({ capacity: 2 }, async (work, ctx) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await timer(1, ctx.signal);
      running--;
      return Number(work.input) * 2;
    });
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [2, 5],
      agents: [worker],
      plugins: [testPatterns()],
    });
    const seen: number[] = [];
    o.events.on("agent:spawned", () => seen.push(o.getAgentHierarchy().levels[1]!.live));
    const spec = (n: number) => ({ description: "fan out", pattern: "test-parallel", children: leaves(n) });
    const [a, b] = await Promise.all([
      o.orchestrateComplexTask(spec(500)),
      o.orchestrateComplexTask(spec(500)),
    ]);
    expect(a.success && b.success).toBe(true);
    expect(a.result).toEqual(Array.from({ length: 500 }, (_, i) => i * 2));
    const level = o.getAgentHierarchy().levels[1]!;
    // 5 agents × capacity 2: recorded per level by the hierarchy, and independently by the agents.
    expect(level.peakLive).toBe(5);
    expect(level.peakConcurrency).toBe(10);
    expect(maxRunning).toBe(10);
    expect(Math.max(...seen)).toBeLessThanOrEqual(5);
    expect(o.getAgentHierarchy().levels[0]!.peakLive).toBeLessThanOrEqual(2);
    await o.shutdown();
  });

  it("reuses idle agents instead of spawning new ones", async () => {
    const worker = functionAgent({}, (work) => Number(work.input) + 1);
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 50],
      agents: [worker],
      plugins: [testPatterns()],
    });
    let spawned = 0;
    o.events.on("agent:spawned", (e) => {
      if (e.agentType !== "coordinator") spawned++;
    });
    for (let i = 0; i < 5; i++) {
      const r = await o.orchestrateComplexTask({
        description: "seq",
        pattern: "test-sequence",
        input: 0,
        children: leaves(4),
      });
      expect(r.result).toBe(4);
    }
    expect(spawned).toBe(1);
    const level = o.getAgentHierarchy().levels[1]!;
    expect(level.agents).toHaveLength(1);
    expect(level.agents[0]!.completed).toBe(20);
    await o.shutdown();
  });

  it("snapshots levels with agents, load, capacity and capabilities; disposes agents on shutdown", async () => {
    let disposed = 0;
    const type = {
      name: "disposable",
      capabilities: ["hash"],
      capacity: 3,
      spawn: (id: string) => ({
        id,
        type: "disposable",
        capabilities: ["hash"],
        capacity: 3,
        execute: async (work: { input: unknown }) => String(work.input).split("").reverse().join(""),
        dispose: () => void disposed++,
      }),
    };
    const o = new HierarchicalOrchestrator({ maxDepth: 1, agents: [type], plugins: [testPatterns()] });
    const r = await o.orchestrateComplexTask({
      description: "r",
      pattern: "test-parallel",
      children: [{ description: "a", input: "abc", capabilities: ["hash"] }],
    });
    expect(r.result).toEqual(["cba"]);
    const snap = o.getAgentHierarchy();
    expect(snap.levels.map((l) => l.name)).toEqual(["primary", "secondary"]);
    expect(snap.levels[1]).toMatchObject({ live: 1, load: 0, capacity: 3, capabilities: ["hash"] });
    expect(snap.levels[0]!.agents[0]).toMatchObject({ role: "coordinator" });
    await o.shutdown();
    expect(disposed).toBe(1);
    expect(o.getAgentHierarchy().totalAgents).toBe(0);
    await expect(o.orchestrateComplexTask("x")).rejects.toMatchObject({
      code: "ECHELON_ORCHESTRATOR_SHUT_DOWN",
    });
  });

  it("gives a coordinator the slot of an idle worker when the level is full (no wait for ever)", async () => {
    // Found by the crash harness: leaves at a level left its idle workers holding every slot,
    // and a later composite sibling at the same level waited for a coordinator slot for ever.
    const o = new HierarchicalOrchestrator({
      maxDepth: 2,
      maxAgentsPerLevel: [1, 1, 2],
      agents: [functionAgent({ capacity: 1 }, (w) => Number(w.input) + 1)],
      plugins: [testPatterns()],
    });
    const run = o.orchestrateComplexTask({
      description: "leaves, then a group at the same level",
      pattern: "test-sequence",
      children: [
        { id: "a", description: "a", input: 1 },
        { id: "b", description: "b", input: 2, pattern: "test-parallel", children: leaves(2) },
      ],
    } as never);
    const outcome = await Promise.race([
      run,
      new Promise((resolve) => setTimeout(() => resolve("still waiting"), 2000).unref()),
    ]);
    expect(outcome).not.toBe("still waiting");
    expect(outcome).toMatchObject({ success: true, result: [1, 2] });
    expect(o.getAgentHierarchy().levels[1]!.peakLive).toBe(1);
    await o.shutdown();
  });

  it("supports deeper hierarchies with named levels", async () => {
    const o = new HierarchicalOrchestrator({
      maxDepth: 4,
      maxAgentsPerLevel: { primary: 1, quinary: 3 },
      agents: [functionAgent({}, (w) => w.description.length)],
      plugins: [testPatterns()],
    });
    expect(o.levels).toEqual(["primary", "secondary", "tertiary", "quaternary", "quinary"]);
    let spec: Record<string, unknown> = { description: "leaf!" };
    for (let d = 0; d < 4; d++)
      spec = { description: `level ${d}`, pattern: "test-parallel", children: [spec] };
    const r = await o.orchestrateComplexTask(spec as never);
    expect(r.success).toBe(true);
    expect(r.levelsDeep).toBe(5);
    expect(r.result).toEqual([[[[5]]]]);
    expect(o.getAgentHierarchy().levels[4]!.cap).toBe(3);
    await o.shutdown();
  });
});

describe("very large pools", () => {
  it("offer strategies at most 64 candidates (the longest free), and every agent still gets work", async () => {
    const seen: number[] = [];
    const used = new Set<string>();
    const agents = Array.from({ length: 300 }, (_, i) => ({
      id: `a${i}`,
      type: `a${i}`,
      capabilities: [],
      capacity: 1,
      execute: async (w: { input: unknown }) => {
        used.add(`a${i}`);
        return Number(w.input);
      },
    }));
    const o = new HierarchicalOrchestrator({
      maxDepth: 1,
      maxAgentsPerLevel: [1, 300],
      agents,
      plugins: [
        testPatterns(),
        {
          name: "counting-strategy",
          version: "1.0.0",
          register: (ctx) =>
            ctx.registerStrategy({
              name: "first",
              select: (_task, candidates) => {
                seen.push(candidates.length);
                return 0;
              },
            }),
        },
      ],
      strategy: "first",
    });
    // Warm the pool up (all 300 spawned), then run one task at a time so 299–300 agents are free.
    await o.orchestrateComplexTask({ description: "warm", pattern: "test-parallel", children: leaves(300) });
    seen.length = 0;
    used.clear();
    const r = await o.orchestrateComplexTask({
      description: "seq",
      pattern: "test-sequence",
      input: 1,
      children: leaves(600),
    });
    expect(r.success).toBe(true);
    expect(Math.max(...seen)).toBe(64);
    expect(used.size).toBe(300);
    await o.shutdown();
  });
});

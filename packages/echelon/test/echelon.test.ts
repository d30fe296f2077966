import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_PLUGIN_NAMES,
  defaultPlugins,
  distributionStrategies,
  EchelonError,
  functionAgent,
  createOrchestrator,
  mapReducePattern,
  OrchestrationPattern,
  createPatternExecutor,
  presets,
  withPreset,
} from "../src/index.js";

const sha = functionAgent({ name: "sha", capabilities: ["hash"], capacity: 2 }, async (work) =>
  createHash("sha256").update(String(work.input)).digest("hex").slice(0, 8),
);
const length = functionAgent(
  { name: "length", capabilities: ["length"] },
  async (work) => String(work.input).length,
);

describe("echelon createOrchestrator", () => {
  it("comes with the five patterns and the four strategies registered", async () => {
    const orchestrator = createOrchestrator({ agents: [sha] });
    expect([...orchestrator.patternNames].sort()).toEqual([
      "fork-join",
      "mapreduce",
      "pipeline",
      "saga",
      "scatter-gather",
    ]);
    expect([...orchestrator.strategyNames].sort()).toEqual([
      "capability",
      "least-loaded",
      "priority",
      "round-robin",
    ]);
    await orchestrator.shutdown();
  });

  it("runs the seed-style example: a mapreduce over real inputs with measured figures", async () => {
    const orchestrator = createOrchestrator({
      maxDepth: 2,
      maxAgentsPerLevel: [1, 2, 4],
      agents: [length],
    });
    const words = ["hierarchical", "agent", "orchestration"];
    const result = await orchestrator.orchestrateComplexTask({
      description: "total length",
      pattern: "mapreduce",
      patternOptions: { reducer: "sum" },
      children: words.map((w) => ({ description: `length of ${w}`, input: w, capabilities: ["length"] })),
    });
    expect(result.success).toBe(true);
    expect(result.result).toBe(words.join("").length);
    expect(result.levelsDeep).toBe(2);
    expect(result.metadata.patternsUsed).toEqual(["mapreduce"]);
    expect(result.executionTime).toBeGreaterThan(0);
    await orchestrator.shutdown();
  });

  it("lets a plugin named like a default replace it", async () => {
    const mine = mapReducePattern({
      reducers: { longest: (best, value) => Math.max(Number(best), Number(value)) },
    });
    const orchestrator = createOrchestrator({ agents: [length], plugins: [mine] });
    const result = await orchestrator.orchestrateComplexTask({
      description: "longest",
      pattern: "mapreduce",
      patternOptions: { reducer: "longest" },
      children: ["a", "abcd", "ab"].map((w) => ({ description: w, input: w, capabilities: ["length"] })),
    });
    expect(result.result).toBe(4);
    await orchestrator.shutdown();
  });

  it("defaults to the least-loaded strategy but accepts another", async () => {
    const orchestrator = createOrchestrator({ agents: [sha], strategy: "round-robin" });
    const r = await orchestrator.orchestrateComplexTask({
      description: "one",
      input: "x",
      capabilities: ["hash"],
    });
    expect(r.result).toBe(createHash("sha256").update("x").digest("hex").slice(0, 8));
    await orchestrator.shutdown();
    expect(() => createOrchestrator({ strategy: "nope" })).toThrowError(
      expect.objectContaining({ code: "ECHELON_STRATEGY_UNKNOWN" }),
    );
  });
});

describe("own distributor", () => {
  it("replacing the distributor keeps the orchestrator usable with its strategies", async () => {
    const orchestrator = createOrchestrator({
      agents: [sha],
      plugins: [distributionStrategies({ only: ["priority"] })],
    });
    expect(orchestrator.strategyNames).toEqual(["priority"]);
    const r = await orchestrator.orchestrateComplexTask({
      description: "one",
      input: "y",
      capabilities: ["hash"],
    });
    expect(r.success).toBe(true);
    await orchestrator.shutdown();
  });
});

describe("defaultPlugins", () => {
  it("returns fresh plugin objects, minus the excluded ones", () => {
    const a = defaultPlugins();
    const b = defaultPlugins();
    expect(a.map((p) => p.name)).toEqual([...DEFAULT_PLUGIN_NAMES]);
    expect(a[1]).not.toBe(b[1]);
    expect(defaultPlugins({ exclude: ["@echelon/patterns-saga"] }).map((p) => p.name)).not.toContain(
      "@echelon/patterns-saga",
    );
  });
});

describe("presets", () => {
  it.each(Object.keys(presets) as Array<keyof typeof presets>)(
    "%s is accepted by the orchestrator",
    async (name) => {
      const orchestrator = createOrchestrator(withPreset(name, { agents: [sha] }));
      expect(orchestrator.levels.length).toBe((presets[name].maxDepth ?? 2) + 1);
      const r = await orchestrator.orchestrateComplexTask({
        description: "hash",
        input: name,
        capabilities: ["hash"],
      });
      expect(r.success).toBe(true);
      await orchestrator.shutdown();
    },
  );

  it("overrides win and unknown names are refused with a code", () => {
    expect(withPreset("development", { maxDepth: 1 }).maxDepth).toBe(1);
    let caught: unknown;
    try {
      withPreset("fast" as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EchelonError);
    expect((caught as EchelonError).code).toBe("ECHELON_PRESET_UNKNOWN");
    expect((caught as EchelonError).message).toContain("development, production, high-throughput");
  });
});

describe("echelon PatternExecutor", () => {
  it("runs the seed API on slices with the five patterns registered", async () => {
    const executor = createPatternExecutor();
    expect(Object.keys(executor.patterns).sort()).toEqual([
      "fork-join",
      "mapreduce",
      "pipeline",
      "saga",
      "scatter-gather",
    ]);
    const slices = ["alpha beta", "gamma", "delta epsilon zeta"].map((text, i) => ({
      sliceId: `s${i}`,
      content: text,
    }));
    const countWords = async (work: { input: unknown }) => String(work.input).split(" ").length;
    const run = await executor.executePattern(OrchestrationPattern.MAPREDUCE, slices, [countWords], {
      patternOptions: { reducer: "sum" },
    });
    expect(run.success).toBe(true);
    expect(run.result).toBe(6);
    expect(executor.getPatternPerformance().mapreduce?.executions).toBe(1);
    await executor.shutdown();
  });
});

import {
  type AgentWork,
  createOrchestrator,
  createPatternExecutor,
  functionAgent,
  OrchestrationPattern,
  type TaskSlice,
} from "echelon";
import { describe, expect, it } from "vitest";

const slice = (sliceId: string, content: unknown, extra: Partial<TaskSlice> = {}): TaskSlice => ({
  sliceId,
  content,
  ...extra,
});

describe("the seed API's examples, as the seed writes them", () => {
  it("executePattern(PIPELINE, [slice], stageAgents): the slice flows through the stage agents in order", async () => {
    const executor = createPatternExecutor();
    const stages = [
      async (w: AgentWork) => `${String(w.input)} → cleaned`,
      async (w: AgentWork) => `${String(w.input)} → enriched`,
      async (w: AgentWork) => `${String(w.input)} → stored`,
    ];
    const run = await executor.executePattern(
      OrchestrationPattern.PIPELINE,
      [slice("data", "raw data")],
      stages,
    );
    expect(run.success).toBe(true);
    expect(run.result).toBe("raw data → cleaned → enriched → stored");
    expect(run.outcomes).toEqual([{ id: "data", status: "completed", output: run.result }]);
  });

  it("several slices each flow through every stage, in order, results in slice order", async () => {
    const executor = createPatternExecutor();
    const run = await executor.executePattern(
      OrchestrationPattern.PIPELINE,
      [slice("a", 1), slice("b", 2), slice("c", 3)],
      [async (w: AgentWork) => Number(w.input) * 10, async (w: AgentWork) => Number(w.input) + 1],
    );
    expect(run.result).toEqual([11, 21, 31]);
  });

  it("registerCustomReducer with the whole-list form works beside the fold form", async () => {
    const executor = createPatternExecutor();
    const mapreduce = executor.patterns[OrchestrationPattern.MAPREDUCE]!;
    mapreduce.registerCustomReducer("weighted_average", (results) => {
      const pairs = results as Array<{ value: number; weight: number }>;
      const weight = pairs.reduce((s, p) => s + p.weight, 0);
      return pairs.reduce((s, p) => s + p.value * p.weight, 0) / weight;
    });
    mapreduce.registerCustomReducer("product", (acc, value) => Number(acc) * Number(value), {
      associative: true,
      initial: 1,
    });
    const slices = [slice("x", { value: 10, weight: 1 }), slice("y", { value: 20, weight: 3 })];
    const weighted = await executor.executePattern(
      OrchestrationPattern.MAPREDUCE,
      slices,
      [async (w) => w.input],
      {
        patternOptions: { reducer: "weighted_average" },
      },
    );
    expect(weighted.result).toBe(17.5);
    const product = await executor.executePattern(
      OrchestrationPattern.MAPREDUCE,
      [slice("a", 2), slice("b", 3), slice("c", 4)],
      [async (w) => w.input],
      { patternOptions: { reducer: "product" } },
    );
    expect(product.result).toBe(24);
  });

  it("refuses an option executePattern does not know, naming it (a reducer belongs under patternOptions)", async () => {
    const executor = createPatternExecutor();
    await expect(
      executor.executePattern(OrchestrationPattern.MAPREDUCE, [slice("a", 1)], [async (w) => w.input], {
        reducer: "sum",
      } as never),
    ).rejects.toMatchObject({ code: "ECHELON_CONFIG_INVALID", details: { unknown: ["reducer"] } });
  });

  it("an orchestrated pipeline whose node has no input feeds the first stage its own input", async () => {
    const o = createOrchestrator({ maxDepth: 1, agents: [functionAgent({}, (w) => `${String(w.input)}!`)] });
    const result = await o.orchestrateComplexTask({
      description: "two stages",
      pattern: "pipeline",
      children: [
        { id: "first", description: "first", input: "own input" },
        { id: "second", description: "second" },
      ],
    });
    expect(result.result).toBe("own input!!");
    await o.shutdown();
  });
});

describe("automatic pattern choice by the five plugins' own recommend", () => {
  const executor = createPatternExecutor();
  const echo = async (w: AgentWork) => w.input;
  const agents3 = [echo, echo, echo];

  it("a dependency chain → pipeline; another DAG → fork-join", () => {
    const chain = [
      slice("a", 1),
      slice("b", 2, { dependencies: ["a"] }),
      slice("c", 3, { dependencies: ["b"] }),
    ];
    expect(executor.recommendPattern(chain, agents3)).toBe("pipeline");
    const dag = [slice("a", 1), slice("b", 2), slice("c", 3, { dependencies: ["a", "b"] })];
    expect(executor.recommendPattern(dag, agents3)).toBe("fork-join");
  });

  it("declared compensations → saga, even with a chain", () => {
    const steps = [
      slice("a", 1, { metadata: { compensate: "undo-a" } }),
      slice("b", 2, { dependencies: ["a"] }),
    ];
    expect(executor.recommendPattern(steps, agents3)).toBe("saga");
  });

  it("one slice or identical slices over several agents → scatter-gather; over one agent it is not", () => {
    expect(executor.recommendPattern([slice("q", "ask")], agents3)).toBe("scatter-gather");
    const same = [1, 2, 3].map((i) => slice(`s${i}`, { q: "same" }));
    expect(executor.recommendPattern(same, agents3)).toBe("scatter-gather");
    expect(executor.recommendPattern([slice("q", "ask")], [echo])).toBe("fork-join");
  });

  it("many independent slices of one kind → mapreduce; of mixed kinds → fork-join", () => {
    const docs = ["a b", "c d", "e f", "g"].map((t, i) => slice(`d${i}`, t));
    expect(executor.recommendPattern(docs, agents3)).toBe("mapreduce");
    expect(executor.recommendPattern([slice("x", "text"), slice("y", 42)], agents3)).toBe("fork-join");
  });
});

import { functionAgent, HierarchicalOrchestrator, isEchelonError } from "@echelon/core";
import { DECOMPOSER, definePlugin, type Pattern } from "@echelon/core/plugin";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { heuristicDecomposer, TaskDecomposer } from "../src/index.js";

/** A minimal fork-join: every child at once, outputs in order. */
const allAtOnce: Pattern = {
  name: "fork-join",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};

/** A minimal pipeline: each child gets the previous output. */
const oneAfterAnother: Pattern = {
  name: "pipeline",
  ordering: "sequential",
  async execute(children, ctx) {
    let value: unknown = ctx.input;
    const outputs: unknown[] = [];
    for (const child of children) {
      value = await ctx.runChild(child, { input: value });
      outputs.push(value);
    }
    return { result: outputs };
  },
};

const patterns = definePlugin({
  name: "test-patterns",
  version: "0.0.0",
  register(ctx) {
    ctx.registerPattern(allAtOnce);
    ctx.registerPattern(oneAfterAnother);
  },
});

describe("heuristicDecomposer plugin", () => {
  it("binds a TaskDecomposer under DECOMPOSER, refusing a second binding unless told to override", async () => {
    const orchestrator = new HierarchicalOrchestrator({ plugins: [heuristicDecomposer()] });
    await orchestrator.shutdown();
    let caught: unknown;
    try {
      new HierarchicalOrchestrator({
        plugins: [
          heuristicDecomposer(),
          definePlugin({
            name: "other",
            version: "1",
            register: (c) => c.bind(DECOMPOSER, new TaskDecomposer()),
          }),
        ],
      });
    } catch (error) {
      caught = error;
    }
    expect(isEchelonError(caught, "ECHELON_DI_DUPLICATE_BINDING")).toBe(true);
  });

  it("decomposes a text the orchestrator runs on real agents", async () => {
    const seen: string[] = [];
    const orchestrator = new HierarchicalOrchestrator({
      maxDepth: 2,
      plugins: [heuristicDecomposer({ capabilities: false }), patterns],
      agents: [
        functionAgent({ capacity: 4 }, (work) => {
          seen.push(work.description);
          return work.description.length;
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask(
      "Write unit tests for the parser, the lexer and the printer, then publish the coverage report",
    );
    await orchestrator.shutdown();
    expect(result.success).toBe(true);
    expect(seen.sort()).toEqual([
      "Publish the coverage report",
      "Write unit tests for the lexer",
      "Write unit tests for the parser",
      "Write unit tests for the printer",
    ]);
    // Root, the fork-join of tests, its leaves: three levels (primary, secondary, tertiary).
    expect(result.levelsDeep).toBe(3);
  });

  it("fans a stated quantity out over many agents: 1000 documents are not 8 leaves on 9 agents", async () => {
    const seen = new Set<string>();
    const orchestrator = new HierarchicalOrchestrator({
      maxDepth: 3,
      maxAgentsPerLevel: [1, 10, 100, 100],
      plugins: [heuristicDecomposer(), patterns],
      agents: [
        functionAgent({ capacity: 1, capabilities: ["data", "analysis", "writing"] }, async (work) => {
          seen.add(work.description);
          // Real work, asynchronous: hash the description with the Web Crypto API.
          const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(work.description));
          return createHash("sha256").update(new Uint8Array(digest)).digest("hex").slice(0, 8);
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask(
      "Process 1000 documents simultaneously: extract text, analyze sentiment, classify content, generate summaries",
    );
    await orchestrator.shutdown();
    expect(result.success).toBe(true);
    // 100 groups of 10 documents, 4 steps each, every step naming its documents.
    expect(seen.size).toBe(400);
    expect(seen.has("Extract text from documents 991–1,000")).toBe(true);
    expect(result.agentsUsed).toBeGreaterThan(100);
  });
});

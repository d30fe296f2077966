import { readFileSync } from "node:fs";
import {
  functionAgent,
  HierarchicalOrchestrator,
  MemoryEventStore,
  type PlanNode,
  type TaskSpec,
} from "@echelon/core";
import { definePlugin, type Pattern } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { heuristicDecomposer, TaskDecomposer } from "../src/index.js";
import { ALL_PATTERNS } from "./helpers.js";

const fixtures: Array<{ text: string }> = JSON.parse(
  readFileSync(new URL("./fixtures/tasks.json", import.meta.url), "utf8"),
);
const TESTS_THEN_PUBLISH =
  "Write unit tests for the parser, the lexer and the printer, then publish the coverage report";

/** A node as a comparable tree: everything a plan says about the work, at every depth. */
interface Shape {
  readonly [key: string]: unknown;
  readonly children: readonly Shape[];
}

function fields(n: PlanNode) {
  return {
    id: n.id,
    description: n.description,
    input: n.input,
    capabilities: n.capabilities,
    priority: n.priority,
    dependsOn: n.dependsOn,
    compensate:
      n.compensate === null
        ? null
        : [n.compensate.description, n.compensate.capabilities, n.compensate.metadata],
  };
}

const shape = (n: PlanNode): Shape => ({
  ...fields(n),
  pattern: n.pattern,
  patternOptions: n.patternOptions,
  children: n.children.map(shape),
});

/**
 * Grows a lazy plan the way the orchestrator does when it reaches a node marked
 * `expand: { using: "decompose" }`: the decomposer gets the node's description and input, with
 * the levels left below it.
 */
function grow(node: PlanNode, lazy: TaskDecomposer, maxDepth: number): Shape {
  if (node.expand?.using !== "decompose") {
    return {
      ...fields(node),
      pattern: node.pattern,
      patternOptions: node.patternOptions,
      children: node.children.map((c) => grow(c, lazy, maxDepth)),
    };
  }
  const spec: TaskSpec = {
    description: node.description,
    ...(node.input !== null ? { input: node.input } : {}),
  };
  const sub = lazy.decompose(spec, { maxDepth: maxDepth - node.depth, patterns: ALL_PATTERNS });
  return {
    ...fields(node),
    pattern: sub.root.pattern,
    patternOptions: sub.root.patternOptions,
    children: sub.root.children.map((c) => grow({ ...c, depth: c.depth + node.depth }, lazy, maxDepth)),
  };
}

describe("lazy decomposition (eagerLevels)", () => {
  it("plans the first level only and marks the steps whose text has structure to be decomposed when reached", () => {
    const plan = new TaskDecomposer({ eagerLevels: 1 }).decompose(TESTS_THEN_PUBLISH, {
      maxDepth: 3,
      patterns: ALL_PATTERNS,
    });
    expect(plan.root.pattern).toBe("pipeline");
    const [tests, publish] = plan.root.children;
    expect(tests).toMatchObject({
      description: "Write unit tests for the parser, the lexer and the printer",
      children: [],
      expand: { using: "decompose" },
      metadata: { complexity: "simple" },
    });
    // A step with nothing to split is an ordinary leaf.
    expect(publish).toMatchObject({ description: "Publish the coverage report", expand: null });
    expect(plan.nodeCount).toBe(3);
  });

  it("keeps what a quantity or a question needs on the lazy node: its input", () => {
    const plan = new TaskDecomposer({ eagerLevels: 1 }).decompose(
      "Migrate entire platform: 50 microservices, 100 databases, 500 API endpoints, zero downtime",
      { maxDepth: 3, patterns: ALL_PATTERNS },
    );
    expect(plan.root.children.map((c) => [c.description, c.input, c.expand])).toEqual([
      ["Migrate 50 microservices", { unit: "microservice", from: 1, to: 50, of: 50 }, { using: "decompose" }],
      ["Migrate 100 databases", { unit: "database", from: 1, to: 100, of: 100 }, { using: "decompose" }],
      [
        "Migrate 500 API endpoints",
        { unit: "API endpoint", from: 1, to: 500, of: 500 },
        { using: "decompose" },
      ],
    ]);
    // Compensations are attached by the saga above them, as in an eager plan.
    expect(plan.root.children[0]!.compensate?.description).toBe("Revert the migration of 50 microservices");
  });

  it("plans a quantity's item groups and per-item steps with the quantity (their text alone does not carry them)", () => {
    const plan = new TaskDecomposer({ eagerLevels: 1 }).decompose(
      "Process 1000 documents simultaneously: extract text, analyze sentiment, generate summaries",
      { maxDepth: 3, patterns: ALL_PATTERNS },
    );
    const group = plan.root.children[0]!;
    expect(group.expand).toBeNull();
    expect(group.children[0]!.children.map((c) => c.description)).toEqual([
      "Extract text from documents 1–10",
      "Analyze sentiment for documents 1–10",
      "Generate summaries for documents 1–10",
    ]);
  });

  it("grown node by node, a lazy plan is exactly the eager plan (every fixture, depths 2 to 4)", () => {
    const eager = new TaskDecomposer({ cacheSize: 0 });
    const lazy = new TaskDecomposer({ eagerLevels: 1, cacheSize: 0 });
    let lazyNodes = 0;
    for (const maxDepth of [2, 3, 4]) {
      for (const { text } of fixtures) {
        const options = { maxDepth, patterns: ALL_PATTERNS };
        const planned = lazy.decompose(text, options);
        lazyNodes += planned.root.children.filter((c) => c.expand !== null).length;
        expect(grow(planned.root, lazy, maxDepth), `${text} (maxDepth ${maxDepth})`).toEqual(
          shape(eager.decompose(text, options).root),
        );
      }
    }
    // The comparison is not vacuous: many steps were left for later.
    expect(lazyNodes).toBeGreaterThan(50);
  });

  it("runs in an orchestrator: each marked step is decomposed when reached, and the same leaves run as eagerly", async () => {
    const run = async (eagerLevels?: number) => {
      const ran: string[] = [];
      const store = new MemoryEventStore();
      const orchestrator = new HierarchicalOrchestrator({
        maxDepth: 3,
        eventStore: store,
        plugins: [
          heuristicDecomposer({ capabilities: false, ...(eagerLevels ? { eagerLevels } : {}) }),
          testPatterns,
        ],
        agents: [
          functionAgent({ capacity: 4 }, (work) => {
            ran.push(work.description);
            return work.description.length;
          }),
        ],
      });
      const result = await orchestrator.orchestrateComplexTask(TESTS_THEN_PUBLISH, { orchestrationId: "t" });
      const status = orchestrator.getOrchestrationStatus("t");
      await orchestrator.shutdown();
      const expanded = store.read("t").filter((e) => e.type === "plan:expanded");
      return { result, status, ran: ran.sort(), expanded: expanded.map((e) => e.nodePath) };
    };
    const eager = await run();
    const lazy = await run(1);
    expect(lazy.result.success).toBe(true);
    expect(lazy.ran).toEqual(eager.ran);
    expect(lazy.ran).toHaveLength(4);
    expect(lazy.result.result).toEqual(eager.result.result);
    expect(lazy.expanded).toEqual(["root/write-unit-tests--and-the-printer"]);
    expect(lazy.status).toMatchObject({ totalTasks: 6, completedTasks: 6, expandedTasks: 3 });
    expect(eager.expanded).toEqual([]);
  });

  it("refuses an eagerLevels outside 1..64 with ECHELON_CONFIG_INVALID", () => {
    for (const eagerLevels of [0, 65, 1.5])
      expect(() => new TaskDecomposer({ eagerLevels })).toThrow(
        expect.objectContaining({
          code: "ECHELON_CONFIG_INVALID",
          details: { option: "eagerLevels", value: String(eagerLevels) },
        }),
      );
  });
});

describe("a TaskSpec that expands at run time", () => {
  it("is kept as written, not decomposed from its description", () => {
    const spec: TaskSpec = {
      id: "review",
      description: "Review the parser, the lexer and the printer",
      pattern: "fork-join",
      input: { parts: ["parser", "lexer"] },
      expand: { items: "parts", each: { id: "{{item}}", description: "review the {{item}}" } },
    };
    const plan = new TaskDecomposer().decompose(spec, { maxDepth: 2, patterns: ALL_PATTERNS });
    expect(plan.root).toMatchObject({ children: [], pattern: "fork-join", expand: spec.expand });
    expect(plan.source).toBe("heuristic");
  });
});

/** Minimal fork-join and pipeline patterns (the real ones live in plugins this package does not depend on). */
const allAtOnce: Pattern = {
  name: "fork-join",
  ordering: "parallel",
  async execute(children, ctx) {
    return { result: await Promise.all(children.map((c) => ctx.runChild(c))) };
  },
};
const oneAfterAnother: Pattern = {
  name: "pipeline",
  ordering: "sequential",
  async execute(children, ctx) {
    const outputs: unknown[] = [];
    for (const child of children) outputs.push(await ctx.runChild(child));
    return { result: outputs };
  },
};
const testPatterns = definePlugin({
  name: "test-patterns",
  version: "0.0.0",
  register(ctx) {
    ctx.registerPattern(allAtOnce);
    ctx.registerPattern(oneAfterAnother);
  },
});

import { HierarchicalOrchestrator, MemoryEventStore } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { llmAgents, llmDecomposer, llmDecomposerPlugin } from "../src/index.js";
import { promptText, scriptedModel } from "./support/mock-model.js";
import { testPatterns } from "./support/patterns.js";

const options = { maxDepth: 2, patterns: ["parallel", "sequence"] };
/** The model's answer for the whole report, two levels deep. */
const reportPlan = JSON.stringify({
  id: "report",
  description: "Write the quarterly report",
  pattern: "sequence",
  children: [
    { id: "gather", description: "Gather the sales figures", capabilities: ["llm"] },
    {
      id: "draft",
      description: "Draft the report's sections",
      pattern: "parallel",
      children: [
        { id: "intro", description: "Draft the introduction", capabilities: ["llm"] },
        { id: "figures", description: "Draft the figures section", capabilities: ["llm"] },
      ],
    },
    { id: "review", description: "Review the draft", capabilities: ["llm"], dependsOn: ["draft"] },
  ],
});
/** The model's answer when the draft step is reached and planned on its own. */
const draftPlan = JSON.stringify({
  id: "draft",
  description: "Draft the report's sections",
  pattern: "parallel",
  children: [
    { id: "intro", description: "Draft the introduction", capabilities: ["llm"] },
    { id: "figures", description: "Draft the figures section", capabilities: ["llm"] },
    { id: "outlook", description: "Draft the outlook", capabilities: ["llm"] },
  ],
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("llmDecomposer with eagerLevels (lazy decomposition)", () => {
  it("tells the model to plan one level and mark deeper work, and defers what it nested anyway", async () => {
    const { model, prompts } = scriptedModel([{ text: reportPlan }]);
    const plan = await llmDecomposer({ model, eagerLevels: 1 }).decompose(
      "Write the quarterly report",
      options,
    );
    const system = promptText(prompts[0]!);
    expect(system).toContain("plan only 1 level below it now");
    expect(system).toContain('"expand": { "using": "decompose" }');
    expect(plan.source).toBe("llm");
    const draft = plan.root.children.find((c) => c.id === "draft")!;
    expect(draft).toMatchObject({ children: [], pattern: null, expand: { using: "decompose" } });
    expect(plan.nodeCount).toBe(4);
    // Without eagerLevels the same answer is planned whole.
    const whole = await llmDecomposer({ model: scriptedModel([{ text: reportPlan }]).model }).decompose(
      "Write the quarterly report",
      options,
    );
    expect(whole.root.children.find((c) => c.id === "draft")!.children).toHaveLength(2);
  });

  it("plans a deferred step with one more request when the orchestrator reaches it", async () => {
    const planner = scriptedModel((call) => ({ text: call === 0 ? reportPlan : draftPlan }), "planner");
    const worker = scriptedModel((call, prompt) => ({ text: `${call}: ${promptText(prompt)}` }), "writer");
    const store = new MemoryEventStore();
    const o = new HierarchicalOrchestrator({
      eventStore: store,
      plugins: [
        testPatterns(),
        llmDecomposerPlugin({ model: planner.model, capabilities: ["llm"], eagerLevels: 1 }),
        llmAgents({
          agents: [{ model: worker.model, prompt: (w) => w.description, capabilities: ["llm"], capacity: 1 }],
        }),
      ],
    });
    cleanups.push(() => o.shutdown());
    const result = await o.orchestrateComplexTask("Write the quarterly report", { orchestrationId: "r" });
    expect(result.success).toBe(true);
    expect(planner.prompts).toHaveLength(2);
    const second = promptText(planner.prompts[1]!);
    expect(second).toContain('"description":"Draft the report\'s sections"');
    // One level is left below the draft step (maxDepth 2, the step at depth 1).
    expect(second).toContain("nest at most 1 levels");
    const asked = worker.prompts.map((p) => promptText(p));
    expect(asked).toEqual([
      "Gather the sales figures",
      "Draft the introduction",
      "Draft the figures section",
      "Draft the outlook",
      "Review the draft",
    ]);
    const expanded = store.read("r").filter((e) => e.type === "plan:expanded");
    expect(expanded.map((e) => e.nodePath)).toEqual(["report/draft"]);
    expect(o.getOrchestrationStatus("r")).toMatchObject({
      totalTasks: 7,
      completedTasks: 7,
      expandedTasks: 3,
    });
  });

  it("falls back to a lazy heuristic decomposer", async () => {
    const { model } = scriptedModel([{ text: "no plan today" }]);
    const plan = await llmDecomposer({ model, eagerLevels: 1 }).decompose(
      "Write unit tests for the parser, the lexer and the printer, then publish the coverage report",
      { maxDepth: 3, patterns: ["fork-join", "pipeline"] },
    );
    expect(plan.source).toBe("llm-fallback:heuristic");
    expect(plan.root.children[0]).toMatchObject({ children: [], expand: { using: "decompose" } });
  });

  it("hands a spec that expands at run time to the fallback as written, without asking the model", async () => {
    const { model, prompts } = scriptedModel([{ text: reportPlan }]);
    const plan = await llmDecomposer({ model }).decompose(
      {
        description: "Review every part",
        pattern: "parallel",
        input: ["parser", "lexer"],
        expand: { each: { description: "review the {{item}}" } },
      },
      options,
    );
    expect(prompts).toHaveLength(0);
    expect(plan.root).toMatchObject({
      children: [],
      expand: { each: { description: "review the {{item}}" } },
    });
  });

  it("refuses an eagerLevels outside 1..64 with ECHELON_CONFIG_INVALID", () => {
    const { model } = scriptedModel([{ text: reportPlan }]);
    for (const eagerLevels of [0, 65, 2.5])
      expect(() => llmDecomposer({ model, eagerLevels })).toThrow(
        expect.objectContaining({
          code: "ECHELON_CONFIG_INVALID",
          details: { option: "eagerLevels", value: String(eagerLevels) },
        }),
      );
  });
});

import { HierarchicalOrchestrator, type Plan } from "@echelon/core";
import { type Decomposer, specToPlan } from "@echelon/core/plugin";
import { afterEach, describe, expect, it } from "vitest";
import {
  type LlmDecomposition,
  type LlmTaskOutput,
  llmAgents,
  llmDecomposer,
  llmDecomposerPlugin,
} from "../src/index.js";
import { startChatServer } from "./support/chat-server.js";
import { promptText, scriptedModel } from "./support/mock-model.js";
import { testPatterns } from "./support/patterns.js";

const options = { maxDepth: 2, patterns: ["parallel", "sequence"] };
const goodPlan = JSON.stringify({
  id: "report",
  description: "Write the quarterly report",
  pattern: "sequence",
  children: [
    { id: "gather", description: "Gather the sales figures", capabilities: ["llm"] },
    { id: "draft", description: "Draft the report", capabilities: ["llm"], dependsOn: ["gather"] },
  ],
});
const badPlan = JSON.stringify({
  id: "report",
  description: "Write the quarterly report",
  pattern: "sequence",
  children: [
    { id: "gather", description: "Gather the sales figures" },
    { id: "draft", description: "Draft the report", dependsOn: ["research"] },
  ],
});
const meta = (plan: Plan) => plan.root.metadata.llmDecomposer as LlmDecomposition;

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("llmDecomposer", () => {
  it("turns a valid model answer (even in a code fence) into a validated plan with source llm", async () => {
    const { model, prompts } = scriptedModel([
      { text: `Here you go:\n\`\`\`json\n${goodPlan}\n\`\`\``, input: 100, output: 40 },
    ]);
    const plan = await llmDecomposer({ model, capabilities: ["llm"] }).decompose(
      "Write the quarterly report",
      options,
    );
    expect(plan.source).toBe("llm");
    expect(plan.root.children.map((c) => c.id)).toEqual(["gather", "draft"]);
    expect(plan.root.children[1]?.dependsOn).toEqual(["gather"]);
    expect(meta(plan)).toEqual({
      attempts: 1,
      fallback: false,
      usage: { inputTokens: 100, outputTokens: 40, totalTokens: 140 },
    });
    const system = promptText(prompts[0]!);
    expect(system).toContain("parallel, sequence");
    expect(system).toContain("at most 2 levels");
    expect(system).toContain("from: llm");
  });

  it("retries once with the validation errors and their paths, then uses the corrected plan", async () => {
    const { model, prompts } = scriptedModel([{ text: badPlan }, { text: goodPlan }]);
    const plan = await llmDecomposer({ model }).decompose("Write the quarterly report", options);
    expect(plan.source).toBe("llm");
    expect(meta(plan).attempts).toBe(2);
    expect(prompts).toHaveLength(2);
    const feedback = promptText(prompts[1]!);
    expect(feedback).toContain("That answer is not a valid plan");
    expect(feedback).toMatch(/children\[1\]\.dependsOn\[0\]/);
    expect(feedback).toContain(badPlan);
  });

  it("falls back to the heuristic decomposer after a second invalid answer, and says so", async () => {
    const { model, prompts } = scriptedModel([
      { text: "I think you should gather data first." },
      { text: badPlan },
    ]);
    const plan = await llmDecomposer({ model }).decompose(
      "Fetch the logs, then parse them, then summarise the errors",
      options,
    );
    expect(prompts).toHaveLength(2);
    expect(plan.source).toBe("llm-fallback:heuristic");
    expect(meta(plan)).toMatchObject({ attempts: 2, fallback: true, usage: { totalTokens: 30 } });
    expect(meta(plan).issues?.[0]?.path).toMatch(/dependsOn/);
    expect(plan.nodeCount).toBeGreaterThan(0);
  });

  it("uses the given fallback when the provider fails (malformed JSON from a local server)", async () => {
    const s = await startChatServer(() => ({ raw: "{oops" }));
    cleanups.push(s.close);
    const fallback: Decomposer = {
      name: "single",
      decompose: (task, o) => specToPlan({ description: String(task) }, { ...o, source: "single" }),
    };
    const plan = await llmDecomposer({ model: s.model, fallback }).decompose("Do one thing", options);
    expect(plan.source).toBe("llm-fallback:single");
    expect(meta(plan)).toMatchObject({ attempts: 1, fallback: true, reason: "ECHELON_LLM_RESPONSE_INVALID" });
    expect(s.requests).toHaveLength(1);
  });

  it("forces the caller's pattern on every composite node", async () => {
    const { model } = scriptedModel([{ text: goodPlan }]);
    const plan = await llmDecomposer({ model }).decompose("x", { ...options, pattern: "parallel" });
    expect(plan.root.pattern).toBe("parallel");
  });

  it("stops when decomposition is cancelled instead of falling back", async () => {
    const s = await startChatServer(() => "hang");
    cleanups.push(s.close);
    const controller = new AbortController();
    const pending = llmDecomposer({ model: s.model }).decompose("x", {
      ...options,
      signal: controller.signal,
    });
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("user cancelled"));
    await expect(pending).rejects.toThrow("user cancelled");
  });

  it("plans and runs an orchestration end to end: LLM plan, LLM workers, usage in the result", async () => {
    const planner = scriptedModel([{ text: goodPlan, input: 50, output: 30 }], "planner");
    const worker = scriptedModel((call) => ({ text: `section ${call + 1}`, input: 8, output: 4 }), "writer");
    const o = new HierarchicalOrchestrator({
      plugins: [
        testPatterns(),
        llmDecomposerPlugin({ model: planner.model, capabilities: ["llm"] }),
        llmAgents({ agents: [{ model: worker.model, prompt: (w) => w.description, capabilities: ["llm"] }] }),
      ],
    });
    cleanups.push(() => o.shutdown());
    const result = await o.orchestrateComplexTask("Write the quarterly report");
    expect(result.success).toBe(true);
    expect(result.metadata.planSource).toBe("llm");
    expect((result.result as LlmTaskOutput[]).map((r) => r.text)).toEqual(["section 1", "section 2"]);
    expect(result.metadata.extra.llm).toMatchObject({ totalTokens: 24, requests: 2 });
  });

  it("hands a spec that already has children to the fallback without asking the model", async () => {
    const { model, prompts } = scriptedModel([{ text: goodPlan }]);
    const spec = JSON.parse(goodPlan);
    const plan = await llmDecomposer({ model }).decompose(spec, options);
    expect(prompts).toHaveLength(0);
    expect(plan.root.children.map((c) => c.id)).toEqual(["gather", "draft"]);
  });

  it("rejects a missing model with ECHELON_CONFIG_INVALID", () => {
    expect(() => llmDecomposer({} as never)).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
  });
});

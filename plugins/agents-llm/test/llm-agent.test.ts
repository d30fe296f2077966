import { type AgentContext, type AgentWork, HierarchicalOrchestrator, silentLogger } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createUsageLedger,
  type LlmTaskOutput,
  type LlmUsageSummary,
  llmAgent,
  llmAgents,
  llmUsagePlugin,
} from "../src/index.js";
import { promptText, scriptedModel } from "./support/mock-model.js";
import { testPatterns } from "./support/patterns.js";

const orchestrators: HierarchicalOrchestrator[] = [];
afterEach(async () => {
  for (const o of orchestrators.splice(0)) await o.shutdown();
});
function orchestrator(options: ConstructorParameters<typeof HierarchicalOrchestrator>[0]) {
  const o = new HierarchicalOrchestrator(options);
  orchestrators.push(o);
  return o;
}

function work(input: unknown, nodePath = "root/a"): AgentWork {
  return {
    taskId: "a",
    nodePath,
    description: "summarise",
    input,
    capabilities: ["llm"],
    priority: 0,
    metadata: {},
  };
}
function context(signal = new AbortController().signal): AgentContext {
  return {
    signal,
    attempt: 1,
    idempotencyKey: "o/root/a",
    orchestrationId: "o",
    level: "secondary",
    report: () => {},
    logger: silentLogger,
  };
}

const reviews = [
  "The battery lasts two days and charging is fast.",
  "Screen cracked after a week; support never answered.",
  "Does what it says.",
];

describe("llmAgent on the AI SDK mock model", () => {
  it("builds the prompt from the work, passes the system prompt and returns text with usage", async () => {
    const { model, prompts } = scriptedModel([{ text: "positive", input: 12, output: 1 }]);
    const type = llmAgent({
      model,
      system: "Classify sentiment.",
      prompt: (w) => `Review: ${String(w.input)}`,
      capabilities: ["llm"],
    });
    const agent = await type.spawn("a1", { level: "secondary", levelIndex: 1, logger: silentLogger });
    const out = (await agent.execute(work(reviews[0]), context())) as LlmTaskOutput;
    expect(out).toEqual({
      text: "positive",
      object: null,
      usage: { inputTokens: 12, outputTokens: 1, totalTokens: 13 },
      model: "mock-model",
      finishReason: "stop",
    });
    expect(prompts[0]?.[0]).toMatchObject({ role: "system", content: "Classify sentiment." });
    expect(promptText(prompts[0]!)).toContain(`Review: ${reviews[0]}`);
  });

  it("validates structured output against the zod schema", async () => {
    const schema = z.object({
      sentiment: z.enum(["positive", "negative", "neutral"]),
      score: z.number().min(-1).max(1),
    });
    const { model } = scriptedModel([
      { text: '{"sentiment":"negative","score":-0.8}' },
      { text: '{"sentiment":"furious","score":3}' },
      { text: "not json at all" },
    ]);
    const ledger = createUsageLedger();
    const type = llmAgent({
      model,
      prompt: (w) => String(w.input),
      output: schema,
      capabilities: ["llm"],
      usage: ledger,
    });
    const agent = await type.spawn("a1", { level: "secondary", levelIndex: 1, logger: silentLogger });
    const ok = (await agent.execute(work(reviews[1]), context())) as LlmTaskOutput;
    expect(ok.object).toEqual({ sentiment: "negative", score: -0.8 });
    await expect(agent.execute(work(reviews[1]), context())).rejects.toMatchObject({
      code: "ECHELON_LLM_OUTPUT_INVALID",
      details: { text: '{"sentiment":"furious","score":3}' },
    });
    await expect(agent.execute(work(reviews[1]), context())).rejects.toMatchObject({
      code: "ECHELON_LLM_OUTPUT_INVALID",
    });
    expect(ledger.used("o")).toEqual({ inputTokens: 30, outputTokens: 15, totalTokens: 45 });
  });

  it("returns only the value with result: 'value'", async () => {
    const { model } = scriptedModel([{ text: '{"n":4}' }]);
    const type = llmAgent({
      model,
      prompt: () => "count",
      output: z.object({ n: z.number() }),
      capabilities: ["llm"],
      result: "value",
    });
    const agent = await type.spawn("a1", { level: "primary", levelIndex: 0, logger: silentLogger });
    expect(await agent.execute(work(null), context())).toEqual({ n: 4 });
  });

  it("fails with ECHELON_LLM_PROMPT_INVALID when prompt(work) throws or returns no text, without calling the model", async () => {
    const { model, prompts } = scriptedModel([{ text: "x" }]);
    const throwing = await llmAgent({
      model,
      prompt: () => {
        throw new Error("no input");
      },
      capabilities: [],
    }).spawn("a", { level: "primary", levelIndex: 0, logger: silentLogger });
    await expect(throwing.execute(work(null), context())).rejects.toMatchObject({
      code: "ECHELON_LLM_PROMPT_INVALID",
    });
    const empty = await llmAgent({ model, prompt: () => "  ", capabilities: [] }).spawn("b", {
      level: "primary",
      levelIndex: 0,
      logger: silentLogger,
    });
    await expect(empty.execute(work(null), context())).rejects.toMatchObject({
      code: "ECHELON_LLM_PROMPT_INVALID",
    });
    expect(prompts).toHaveLength(0);
  });

  it("rejects bad options with ECHELON_CONFIG_INVALID", () => {
    const { model } = scriptedModel([{ text: "x" }]);
    expect(() => llmAgent({ model, prompt: () => "x", capabilities: ["a"], capacity: 0 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => llmAgent({ model, prompt: "x" as never, capabilities: [] })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => llmAgent({ model, prompt: () => "x", capabilities: [], retry: { maxRetries: -1 } })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => llmAgents({ agents: "all" as never })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
    expect(() => createUsageLedger({ maxTokens: 0 })).toThrow(
      expect.objectContaining({ code: "ECHELON_CONFIG_INVALID" }),
    );
  });
});

describe("token usage per orchestration and the budget", () => {
  const spec = (pattern: string, n: number) => ({
    id: "reviews",
    description: "classify reviews",
    pattern,
    children: Array.from({ length: n }, (_, i) => ({
      id: `r${i}`,
      description: `review ${i}`,
      input: reviews[i % reviews.length],
      capabilities: ["llm"],
    })),
  });

  it("sums usage of every task into result.metadata.extra.llm", async () => {
    const { model } = scriptedModel((call) => ({ text: `label ${call}`, input: 10 + call, output: 2 }));
    const llm = llmAgents({ agents: [{ model, prompt: (w) => String(w.input), capabilities: ["llm"] }] });
    const result = await orchestrator({ plugins: [testPatterns(), llm] }).orchestrateComplexTask(
      spec("parallel", 3),
    );
    expect(result.success).toBe(true);
    const usage = result.metadata.extra.llm as LlmUsageSummary;
    expect(usage).toMatchObject({ inputTokens: 33, outputTokens: 6, totalTokens: 39, requests: 3 });
    expect(Object.keys(usage.tasks).sort()).toEqual(["reviews/r0", "reviews/r1", "reviews/r2"]);
    const perTask = (result.result as LlmTaskOutput[]).reduce((s, o) => s + o.usage.totalTokens, 0);
    expect(perTask).toBe(39);
  });

  it("stops sending requests once the budget is used up, with ECHELON_LLM_BUDGET_EXCEEDED, and keeps what completed", async () => {
    const { model, prompts } = scriptedModel([{ text: "ok", input: 10, output: 5 }]);
    const ledger = createUsageLedger({ maxTokens: 25 });
    const o = orchestrator({
      plugins: [testPatterns(), llmUsagePlugin(ledger)],
      agents: [llmAgent({ model, prompt: (w) => String(w.input), capabilities: ["llm"], usage: ledger })],
    });
    const result = await o.orchestrateComplexTask(spec("settled", 4), { orchestrationId: "settled" });
    expect(prompts).toHaveLength(2);
    // The spent budget stops the whole orchestration: it fails with the budget's code, r3 is
    // never sent to the model, and what completed is kept (the partial result and the status).
    expect(result).toMatchObject({
      success: false,
      state: "failed",
      error: { code: "ECHELON_LLM_BUDGET_EXCEEDED" },
    });
    expect(result.result).toMatchObject([
      { id: "r0", ok: true, value: { text: "ok" } },
      { id: "r1", ok: true, value: { text: "ok" } },
      { id: "r2", ok: false, value: "ECHELON_LLM_BUDGET_EXCEEDED" },
      { id: "r3", ok: false, value: "ECHELON_LLM_BUDGET_EXCEEDED" },
    ]);
    expect(result.metadata.extra.llm).toMatchObject({
      totalTokens: 30,
      budget: { maxTokens: 25, exceeded: true, refusedTasks: ["reviews/r2"] },
    });
    const settled = o.getOrchestrationStatus("settled");
    expect(settled.nodes["reviews/r0"]!.state).toBe("completed");
    expect(settled.nodes["reviews/r1"]!.state).toBe("completed");

    const failFast = await o.orchestrateComplexTask(spec("sequence", 4));
    expect(failFast.success).toBe(false);
    expect(failFast.error?.code).toBe("ECHELON_LLM_BUDGET_EXCEEDED");
    const states = Object.values(o.getOrchestrationStatus(failFast.orchestrationId).nodes).map(
      (n) => `${n.path}:${n.state}`,
    );
    expect(states).toEqual(
      expect.arrayContaining(["reviews/r0:completed", "reviews/r1:completed", "reviews/r2:cancelled"]),
    );
    expect(prompts).toHaveLength(4);
  });
});

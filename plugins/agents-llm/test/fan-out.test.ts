import { HierarchicalOrchestrator } from "@echelon/core";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { createProviderLimiter, type LlmUsageSummary, llmAgents } from "../src/index.js";
import { testPatterns } from "./support/patterns.js";

let orchestrator: HierarchicalOrchestrator | null = null;
afterEach(async () => {
  await orchestrator?.shutdown();
});

describe("a 1,000-way LLM fan-out through one provider limiter", () => {
  it("completes every task while the provider never sees more than `concurrency` requests at once", async () => {
    let inFlight = 0;
    let peak = 0;
    const model = new MockLanguageModelV3({
      doGenerate: async (options) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r)); // yield so concurrent calls can overlap
        inFlight--;
        const prompt = JSON.stringify(options.prompt);
        return {
          content: [{ type: "text", text: String(prompt.length) }],
          finishReason: { unified: "stop", raw: "stop" },
          usage: {
            inputTokens: { total: 3, noCache: 3, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: 1, text: 1, reasoning: 0 },
          },
          warnings: [],
        };
      },
    });
    const limiter = createProviderLimiter({ concurrency: 8 });
    orchestrator = new HierarchicalOrchestrator({
      maxAgentsPerLevel: [1, 64],
      plugins: [
        testPatterns(),
        llmAgents({
          agents: [
            {
              model,
              prompt: (w) => `item ${String(w.input)}`,
              capabilities: ["llm"],
              capacity: 16,
              limiter,
              result: "value",
            },
          ],
        }),
      ],
    });
    const n = 1000;
    const result = await orchestrator.orchestrateComplexTask({
      description: "fan out",
      pattern: "parallel",
      children: Array.from({ length: n }, (_, i) => ({
        id: `i${i}`,
        description: `item ${i}`,
        input: i,
        capabilities: ["llm"],
      })),
    });
    expect(result.success).toBe(true);
    expect(result.result).toHaveLength(n);
    expect(peak).toBe(8);
    expect(limiter.stats()).toMatchObject({ active: 0, queued: 0, started: n });
    expect(result.metadata.extra.llm as LlmUsageSummary).toMatchObject({ requests: n, totalTokens: 4 * n });
  });
});

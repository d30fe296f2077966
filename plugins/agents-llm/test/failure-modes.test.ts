import { HierarchicalOrchestrator } from "@echelon/core";
import { MockLanguageModelV3 } from "ai/test";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createUsageLedger, llmAgent, llmUsagePlugin } from "../src/index.js";
import { testPatterns } from "./support/patterns.js";

const usage = {
  inputTokens: { total: 4, noCache: 4, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 2, text: 2, reasoning: 0 },
};
const answer = (text: string) => ({
  content: [{ type: "text" as const, text }],
  finishReason: { unified: "stop" as const, raw: "stop" },
  usage,
  warnings: [],
});

const orchestrators: HierarchicalOrchestrator[] = [];
afterEach(async () => {
  for (const o of orchestrators.splice(0)) await o.shutdown();
});

function run(
  model: MockLanguageModelV3,
  extra: { timeoutMs?: number; output?: z.ZodType } = {},
  signal?: AbortSignal,
) {
  const ledger = createUsageLedger();
  const o = new HierarchicalOrchestrator({
    plugins: [testPatterns(), llmUsagePlugin(ledger)],
    agents: [
      llmAgent({
        model,
        prompt: () => "go",
        capabilities: ["llm"],
        usage: ledger,
        ...(extra.output ? { output: extra.output } : {}),
      }),
    ],
    abortGraceMs: 20,
  });
  orchestrators.push(o);
  const spec = {
    description: "one",
    pattern: "parallel",
    children: [
      {
        id: "t",
        description: "t",
        capabilities: ["llm"],
        ...(extra.timeoutMs ? { timeoutMs: extra.timeoutMs } : {}),
      },
    ],
  };
  return { o, result: o.orchestrateComplexTask(spec, signal ? { signal } : {}) };
}

describe("llmAgent failure modes end in coded outcomes", () => {
  it("a provider that throws → ECHELON_LLM_PROVIDER_ERROR", async () => {
    const model = new MockLanguageModelV3({
      doGenerate: async () => {
        throw new Error("socket hang up");
      },
    });
    const result = await run(model).result;
    expect(result.error?.code).toBe("ECHELON_LLM_PROVIDER_ERROR");
    expect(result.errorMessage).toContain("socket hang up");
  });

  it("a model that hangs past the timeout and ignores the abort → ECHELON_TASK_TIMEOUT; its agent is retired", async () => {
    let release!: () => void;
    const model = new MockLanguageModelV3({
      doGenerate: () => new Promise((r) => (release = () => r(answer("late")))),
    });
    const { o, result } = run(model, { timeoutMs: 40 });
    const retired = new Promise((r) => o.events.on("agent:retired", r));
    expect((await result).error?.code).toBe("ECHELON_TASK_TIMEOUT");
    await retired;
    release();
  });

  it("structured output that is not JSON-serialisable → ECHELON_RESULT_NOT_SERIALIZABLE", async () => {
    const model = new MockLanguageModelV3({ doGenerate: async () => answer('{"n":"1"}') });
    const output = z.object({ n: z.string().transform((s) => BigInt(s)) });
    const result = await run(model, { output }).result;
    expect(result.error?.code).toBe("ECHELON_RESULT_NOT_SERIALIZABLE");
  });

  it("an answer after cancel is discarded → ECHELON_CANCELLED", async () => {
    let release!: () => void;
    let started!: () => void;
    const begun = new Promise<void>((r) => (started = r));
    const model = new MockLanguageModelV3({
      doGenerate: () => {
        started();
        return new Promise((r) => (release = () => r(answer("too late"))));
      },
    });
    const controller = new AbortController();
    const { result } = run(model, {}, controller.signal);
    await begun;
    controller.abort();
    const final = await result;
    expect(final).toMatchObject({ state: "cancelled", result: null, error: { code: "ECHELON_CANCELLED" } });
    release();
  });
});

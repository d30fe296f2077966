import { type AgentContext, type AgentWork, HierarchicalOrchestrator, silentLogger } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createProviderLimiter,
  createUsageLedger,
  type LlmTaskOutput,
  llmAgent,
  llmUsagePlugin,
} from "../src/index.js";
import { completion, type Reply, startChatServer } from "./support/chat-server.js";
import { testPatterns } from "./support/patterns.js";

// The openai-compatible provider warns that it sends json_object instead of a JSON schema; the warning is expected here.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function server(handler: Parameters<typeof startChatServer>[0]) {
  const s = await startChatServer(handler);
  closers.push(s.close);
  return s;
}

function work(input: unknown, nodePath = "job/a"): AgentWork {
  return {
    taskId: "a",
    nodePath,
    description: "answer",
    input,
    capabilities: ["llm"],
    priority: 0,
    metadata: {},
  };
}
function ctx(signal = new AbortController().signal): AgentContext {
  return {
    signal,
    attempt: 1,
    idempotencyKey: "o/job/a",
    orchestrationId: "o",
    level: "secondary",
    report: () => {},
    logger: silentLogger,
  };
}
async function spawn(options: Omit<Parameters<typeof llmAgent>[0], "capabilities">) {
  return llmAgent({ capabilities: ["llm"], ...options }).spawn("a1", {
    level: "secondary",
    levelIndex: 1,
    logger: silentLogger,
  });
}

describe("llmAgent against a local OpenAI-compatible server (127.0.0.1)", () => {
  it("sends the chat-completions request and reads text and usage", async () => {
    const s = await server(() => completion("Paris", 11, 1));
    const agent = await spawn({
      model: s.model,
      system: "Answer with one word.",
      prompt: (w) => `Capital of ${String(w.input)}?`,
    });
    const out = (await agent.execute(work("France"), ctx())) as LlmTaskOutput;
    expect(out).toMatchObject({
      text: "Paris",
      usage: { inputTokens: 11, outputTokens: 1, totalTokens: 12 },
      model: "local-model",
    });
    expect(s.requests[0]?.body.messages).toEqual([
      { role: "system", content: "Answer with one word." },
      { role: "user", content: "Capital of France?" },
    ]);
  });

  it("retries HTTP 429 after the Retry-After seconds, holding the shared limiter meanwhile", async () => {
    const s = await server((_r, i) =>
      i === 0
        ? { status: 429, headers: { "retry-after": "1" }, json: { error: { message: "slow down" } } }
        : completion("ok"),
    );
    const limiter = createProviderLimiter({ concurrency: 4 });
    const agent = await spawn({ model: s.model, prompt: () => "hi", limiter });
    const first = agent.execute(work(null), ctx());
    while (limiter.stats().pausedUntil === 0) await new Promise((r) => setTimeout(r, 5));
    const sibling = agent.execute(work(null, "job/b"), ctx()); // scheduled while the provider asked to wait
    const outs = (await Promise.all([first, sibling])) as LlmTaskOutput[];
    expect(outs.map((o) => o.text)).toEqual(["ok", "ok"]);
    expect(s.requests).toHaveLength(3);
    for (const later of s.requests.slice(1)) expect(later.at - s.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After as an HTTP date and retries 5xx with backoff", async () => {
    const past = new Date(Date.now() - 5000).toUTCString();
    const replies: Reply[] = [
      { status: 429, headers: { "retry-after": past }, json: { error: { message: "busy" } } },
      { status: 503, json: { error: { message: "overloaded" } } },
      completion("done"),
    ];
    const s = await server((_r, i) => replies[i]!);
    const agent = await spawn({ model: s.model, prompt: () => "hi", retry: { baseDelayMs: 5 } });
    expect(((await agent.execute(work(null), ctx())) as LlmTaskOutput).text).toBe("done");
    expect(s.requests).toHaveLength(3);
  });

  it("gives up with ECHELON_LLM_RATE_LIMITED after maxRetries, or at once when Retry-After is too long", async () => {
    const s = await server(() => ({
      status: 429,
      headers: { "retry-after-ms": "5" },
      json: { error: { message: "no" } },
    }));
    const agent = await spawn({ model: s.model, prompt: () => "hi", retry: { maxRetries: 2 } });
    await expect(agent.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_RATE_LIMITED",
      details: { status: 429 },
    });
    expect(s.requests).toHaveLength(3);

    const slow = await server(() => ({
      status: 429,
      headers: { "retry-after": "3600" },
      json: { error: { message: "later" } },
    }));
    const patient = await spawn({ model: slow.model, prompt: () => "hi" });
    await expect(patient.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_RATE_LIMITED",
      details: { retryAfterMs: 3_600_000 },
    });
    expect(slow.requests).toHaveLength(1);
  });

  it("a malformed JSON body is ECHELON_LLM_RESPONSE_INVALID and is not retried", async () => {
    const s = await server(() => ({ raw: '{"id": "x", "choices": [' }));
    const agent = await spawn({ model: s.model, prompt: () => "hi" });
    await expect(agent.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_RESPONSE_INVALID",
    });
    expect(s.requests).toHaveLength(1);
  });

  it("a malformed JSON answer for structured output is ECHELON_LLM_OUTPUT_INVALID, its tokens still counted", async () => {
    const s = await server(() => completion('{"title": "Report", "pages": ', 20, 9));
    const ledger = createUsageLedger();
    const agent = await spawn({
      model: s.model,
      prompt: () => "describe",
      output: z.object({ title: z.string(), pages: z.number() }),
      usage: ledger,
    });
    await expect(agent.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_OUTPUT_INVALID",
    });
    expect(s.requests[0]?.body.response_format).toEqual({ type: "json_object" });
    expect(ledger.used("o").totalTokens).toBe(29);
  });

  it("a 400 is ECHELON_LLM_PROVIDER_ERROR without retry; a refused connection is retried then coded", async () => {
    const s = await server(() => ({ status: 400, json: { error: { message: "bad model" } } }));
    const agent = await spawn({ model: s.model, prompt: () => "hi" });
    await expect(agent.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_PROVIDER_ERROR",
      details: { status: 400 },
    });
    expect(s.requests).toHaveLength(1);

    const gone = await startChatServer(() => completion("x"));
    await gone.close();
    const orphan = await spawn({
      model: gone.model,
      prompt: () => "hi",
      retry: { maxRetries: 1, baseDelayMs: 1 },
    });
    await expect(orphan.execute(work(null), ctx())).rejects.toMatchObject({
      code: "ECHELON_LLM_PROVIDER_ERROR",
    });
  });

  it("a hanging response is aborted by ctx.signal: the task times out and the server sees the connection close", async () => {
    const s = await server(() => "hang");
    const ledger = createUsageLedger();
    const o = new HierarchicalOrchestrator({
      plugins: [testPatterns(), llmUsagePlugin(ledger)],
      agents: [llmAgent({ model: s.model, prompt: () => "hi", capabilities: ["llm"], usage: ledger })],
      abortGraceMs: 50,
    });
    closers.push(() => o.shutdown());
    const result = await o.orchestrateComplexTask({
      description: "hang",
      pattern: "parallel",
      children: [{ id: "h", description: "h", capabilities: ["llm"], timeoutMs: 100 }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_TASK_TIMEOUT");
    await s.requests[0]!.closed;
    expect(s.requests[0]!.aborted).toBe(true);
    expect(o.getAgentHierarchy().levels.map((l) => l.load)).toEqual([0, 0, 0]);
  });

  it("cancelling the orchestration aborts the in-flight request", async () => {
    const s = await server(() => "hang");
    const o = new HierarchicalOrchestrator({
      plugins: [testPatterns()],
      agents: [llmAgent({ model: s.model, prompt: () => "hi", capabilities: ["llm"] })],
    });
    closers.push(() => o.shutdown());
    const running = o.orchestrateComplexTask(
      {
        description: "c",
        pattern: "parallel",
        children: [{ id: "a", description: "a", capabilities: ["llm"] }],
      },
      { orchestrationId: "cancel-me" },
    );
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(o.cancelOrchestration("cancel-me")).toBe(true);
    const result = await running;
    expect(result).toMatchObject({ state: "cancelled", error: { code: "ECHELON_CANCELLED" } });
    await s.requests[0]!.closed;
    expect(s.requests[0]!.aborted).toBe(true);
  });
});

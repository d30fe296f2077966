import {
  type Agent,
  type AgentContext,
  type AgentType,
  type AgentWork,
  CoreErrorCode,
  EchelonError,
  isEchelonError,
} from "@echelon/core";
import { generateText, type LanguageModel, NoObjectGeneratedError, Output } from "ai";
import type { ZodType } from "zod";
import { callModel, checkRetryOptions, type LlmRetryOptions } from "./call-model.js";
import { LlmErrorCode } from "./errors.js";
import type { ProviderLimiter } from "./provider-limiter.js";
import { fromSdkUsage, type TokenUsage } from "./usage.js";
import type { UsageLedger } from "./usage-ledger.js";

/** What an LLM task outputs (the default `envelope` output). JSON. */
export interface LlmTaskOutput<T = unknown> {
  /** The model's text (for structured output, the raw JSON it wrote). */
  readonly text: string;
  /** The parsed and validated object when `output` is set, else `null`. */
  readonly object: T | null;
  /** Tokens used by this task's successful request. */
  readonly usage: TokenUsage;
  /** Model id. */
  readonly model: string;
  /** Why the model stopped (`stop`, `length`, …). */
  readonly finishReason: string;
}

/** Options of {@link llmAgent}. */
export interface LlmAgentOptions<T = unknown> {
  /** Any AI SDK language model: `openai("gpt-4o-mini")`, `createOpenAICompatible({ baseURL, name }).chatModel("llama3")`, … */
  readonly model: LanguageModel;
  /** Builds the user prompt from the leaf's work. */
  readonly prompt: (work: AgentWork) => string;
  /** System prompt, fixed or per work. */
  readonly system?: string | ((work: AgentWork) => string);
  /** Zod schema of a structured answer; the answer is parsed and validated (`ECHELON_LLM_OUTPUT_INVALID` when it does not match). */
  readonly output?: ZodType<T>;
  /** Capabilities the agents offer. */
  readonly capabilities: readonly string[];
  /** Requests one agent runs at once. Default 4. */
  readonly capacity?: number;
  /** Most agents alive at once. Default unbounded (level caps apply). */
  readonly maxInstances?: number;
  /** Levels the agents may serve at; any when absent. */
  readonly levels?: readonly (string | number)[];
  /** Agent type name. Default `llm:<model id>`. */
  readonly name?: string;
  /** Shared per-provider limiter. Strongly advised for wide fan-outs. */
  readonly limiter?: ProviderLimiter;
  /** Ledger recording usage per orchestration and enforcing its token budget. */
  readonly usage?: UsageLedger;
  /** Retries of 429/5xx/connection errors. */
  readonly retry?: LlmRetryOptions;
  /** Cap on generated tokens per request. */
  readonly maxOutputTokens?: number;
  /** Sampling temperature. */
  readonly temperature?: number;
  /** What a task outputs: the {@link LlmTaskOutput} envelope (default) or only the text / object. */
  readonly result?: "envelope" | "value";
}

function modelId(model: LanguageModel): string {
  return typeof model === "string" ? model : model.modelId;
}

function textOf(what: string, make: () => unknown): string {
  let value: unknown;
  try {
    value = make();
  } catch (error) {
    throw new EchelonError(
      LlmErrorCode.PROMPT_INVALID,
      `${what} threw: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, details: { retryable: false } },
    );
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new EchelonError(
      LlmErrorCode.PROMPT_INVALID,
      `${what} must return a non-empty string, got ${typeof value}.`,
      { details: { retryable: false } },
    );
  }
  return value;
}

function checkOptions(options: LlmAgentOptions<unknown>): void {
  const bad = (message: string) => new EchelonError(CoreErrorCode.CONFIG_INVALID, `llmAgent: ${message}`);
  if (options?.model === undefined || options.model === null)
    throw bad("model is required (an AI SDK language model).");
  if (typeof options.prompt !== "function") throw bad("prompt must be a function (work) => string.");
  if (!Array.isArray(options.capabilities) || !options.capabilities.every((c) => typeof c === "string")) {
    throw bad("capabilities must be an array of strings.");
  }
  for (const key of ["capacity", "maxInstances"] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1))
      throw bad(`${key} must be a positive integer, got ${String(v)}.`);
  }
  checkRetryOptions(options.retry);
}

/**
 * Runs one leaf on the model. Exported for tests and custom agents.
 *
 * @internal
 */
export async function runLlmWork<T>(
  options: LlmAgentOptions<T>,
  work: AgentWork,
  ctx: AgentContext,
): Promise<LlmTaskOutput<T>> {
  const model = modelId(options.model);
  try {
    options.usage?.assertWithinBudget(ctx.orchestrationId, work.nodePath);
  } catch (error) {
    // A spent budget stops the whole orchestration's dispatch, not just this task.
    if (isEchelonError(error, LlmErrorCode.BUDGET_EXCEEDED)) ctx.stopOrchestration?.(error);
    throw error;
  }
  const prompt = textOf("prompt(work)", () => options.prompt(work));
  const system =
    options.system === undefined
      ? undefined
      : typeof options.system === "string"
        ? options.system
        : textOf("system(work)", () => (options.system as (w: AgentWork) => string)(work));
  const record = (usage: TokenUsage) => options.usage?.record(ctx.orchestrationId, work.nodePath, usage);
  const request = () =>
    generateText({
      model: options.model,
      prompt,
      ...(system !== undefined ? { system } : {}),
      ...(options.output !== undefined ? { output: Output.object({ schema: options.output }) } : {}),
      ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      abortSignal: ctx.signal,
      maxRetries: 0,
    });
  try {
    const result = await callModel(request, {
      model,
      signal: ctx.signal,
      limiter: options.limiter,
      retry: options.retry,
      onRetry: (n, delayMs, error) =>
        ctx.logger.warn("LLM request retried", { model, retry: n, delayMs, code: error.code }),
    });
    const usage = fromSdkUsage(result.totalUsage);
    record(usage);
    return {
      text: result.text,
      object: options.output !== undefined ? (result.output as T) : null,
      usage,
      model,
      finishReason: result.finishReason,
    };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) {
      const usage = fromSdkUsage(error.usage);
      record(usage);
      throw new EchelonError(
        LlmErrorCode.OUTPUT_INVALID,
        `Model "${model}" answered task "${work.nodePath}" with output that does not match the schema: ${error.cause instanceof Error ? error.cause.message : error.message}. Tighten the prompt or allow retries.`,
        {
          cause: error,
          details: { model, nodePath: work.nodePath, text: (error.text ?? "").slice(0, 500), usage },
        },
      );
    }
    throw error;
  }
}

/**
 * An agent type whose agents answer leaf tasks with a language model through the Vercel AI
 * SDK: any provider, including OpenAI-compatible local servers (Ollama, llama.cpp, vLLM) via
 * `createOpenAICompatible({ name, baseURL })`. The request honours `ctx.signal`; 429, 408, 5xx
 * and connection errors are retried with backoff honouring Retry-After; structured output is
 * validated against `output`; token usage is in the task's output and, with a `usage`
 * ledger, summed per orchestration (see {@link llmUsagePlugin}) and held to its budget.
 *
 * @param options - model, prompt, output schema, capabilities, limiter, usage ledger, retry
 * @returns an agent type for the orchestrator's `agents` (or `llmAgents({ agents })`)
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for missing model/prompt or bad numbers.
 * Tasks fail with `ECHELON_LLM_BUDGET_EXCEEDED`, `ECHELON_LLM_OUTPUT_INVALID`,
 * `ECHELON_LLM_RESPONSE_INVALID`, `ECHELON_LLM_RATE_LIMITED`, `ECHELON_LLM_PROVIDER_ERROR`,
 * `ECHELON_LLM_PROMPT_INVALID`
 * @example
 * ```ts
 * const local = createOpenAICompatible({ name: "ollama", baseURL: "http://127.0.0.1:11434/v1" });
 * const summariser = llmAgent({
 *   model: local.chatModel("llama3.2"),
 *   system: "You summarise in one sentence.",
 *   prompt: (work) => String(work.input),
 *   output: z.object({ summary: z.string() }),
 *   capabilities: ["summarise"],
 *   limiter: createProviderLimiter({ concurrency: 4 }),
 * });
 * ```
 */
export function llmAgent<T = unknown>(options: LlmAgentOptions<T>): AgentType {
  checkOptions(options as LlmAgentOptions<unknown>);
  const name = options.name ?? `llm:${modelId(options.model)}`;
  const capabilities = Object.freeze([...options.capabilities]);
  const capacity = options.capacity ?? 4;
  const valueOnly = options.result === "value";
  return {
    name,
    capabilities,
    capacity,
    ...(options.levels !== undefined ? { levels: options.levels } : {}),
    ...(options.maxInstances !== undefined ? { maxInstances: options.maxInstances } : {}),
    spawn(id: string): Agent {
      return {
        id,
        type: name,
        capabilities,
        capacity,
        async execute(work, ctx) {
          const out = await runLlmWork(options, work, ctx);
          if (!valueOnly) return out;
          return options.output !== undefined ? out.object : out.text;
        },
      };
    },
  };
}

/**
 * `@echelon/agents-llm` — LLM agents and an LLM decomposer for Echelon on the Vercel AI SDK:
 * any provider (OpenAI-compatible local servers included), validated structured output,
 * token usage per task and per orchestration, a token budget, a shared per-provider limiter
 * and Retry-After-aware retries.
 *
 * @packageDocumentation
 */
export type { LlmRetryOptions } from "./call-model.js";
export { LlmErrorCode } from "./errors.js";
export { type LlmAgentOptions, type LlmTaskOutput, llmAgent } from "./llm-agent.js";
export { type LlmDecomposerOptions, type LlmDecomposition, llmDecomposer } from "./llm-decomposer.js";
export type { PlanIssue } from "./plan-prompt.js";
export {
  LLM_USAGE_KEY,
  type LlmAgentsOptions,
  type LlmDecomposerPluginOptions,
  llmAgents,
  llmDecomposerPlugin,
  llmUsageEnricher,
  llmUsagePlugin,
} from "./plugins.js";
export {
  createProviderLimiter,
  type ProviderLimiter,
  type ProviderLimiterOptions,
  type ProviderLimiterStats,
} from "./provider-limiter.js";
export { retryAfterMs } from "./retry-after.js";
export { addUsage, fromSdkUsage, type SdkUsage, type TokenUsage, ZERO_USAGE } from "./usage.js";
export {
  createUsageLedger,
  type LlmUsageSummary,
  type UsageLedger,
  type UsageLedgerOptions,
} from "./usage-ledger.js";

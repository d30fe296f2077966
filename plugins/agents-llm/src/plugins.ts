import { CoreErrorCode, EchelonError } from "@echelon/core";
import {
  DECOMPOSER,
  definePlugin,
  type EchelonPlugin,
  RESULT_ENRICHER,
  type ResultEnricher,
} from "@echelon/core/plugin";
import { type LlmAgentOptions, llmAgent } from "./llm-agent.js";
import { type LlmDecomposerOptions, llmDecomposer } from "./llm-decomposer.js";
import { createUsageLedger, type UsageLedger } from "./usage-ledger.js";
import { VERSION } from "./version.js";

/** Key of the usage summary under `result.metadata.extra`. */
export const LLM_USAGE_KEY = "llm";

/**
 * A result enricher that puts an orchestration's LLM token usage (from `ledger`) under
 * `result.metadata.extra.llm` and then forgets it.
 *
 * @param ledger - the ledger the LLM agents record into
 * @returns the enricher
 */
export function llmUsageEnricher(ledger: UsageLedger): ResultEnricher {
  return {
    key: LLM_USAGE_KEY,
    summarize(orchestrationId) {
      const summary = ledger.summary(orchestrationId);
      ledger.forget(orchestrationId);
      return summary;
    },
  };
}

/**
 * A plugin that sums LLM token usage per orchestration into `result.metadata.extra.llm`
 * (`{ inputTokens, outputTokens, totalTokens, requests, tasks, budget? }`).
 *
 * @param ledger - the ledger shared with the `llmAgent`s (their `usage` option)
 * @returns the plugin
 * @example
 * ```ts
 * const ledger = createUsageLedger({ maxTokens: 20_000 });
 * new HierarchicalOrchestrator({ agents: [llmAgent({ ...opts, usage: ledger })], plugins: [llmUsagePlugin(ledger)] });
 * ```
 */
export function llmUsagePlugin(ledger: UsageLedger): EchelonPlugin {
  return definePlugin({
    name: "@echelon/agents-llm/usage",
    version: VERSION,
    register(ctx) {
      ctx.add(RESULT_ENRICHER, llmUsageEnricher(ledger));
    },
  });
}

/** Options of {@link llmAgents}. */
export interface LlmAgentsOptions {
  /** The LLM agent types to register (their `usage` is set to the plugin's ledger). */
  readonly agents: readonly LlmAgentOptions<unknown>[];
  /** Token budget per orchestration; further LLM tasks fail with `ECHELON_LLM_BUDGET_EXCEEDED` once it is used up. */
  readonly maxTokens?: number;
  /** Use this ledger instead of creating one (then `maxTokens` is the ledger's). */
  readonly ledger?: UsageLedger;
}

/**
 * The all-in-one LLM plugin: registers LLM agent types that share one usage ledger, and
 * the enricher that reports usage (and the budget) in every result's `metadata.extra.llm`.
 *
 * @param options - agents, budget
 * @returns the plugin
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a bad agent option or budget
 * @example
 * ```ts
 * const llm = llmAgents({ maxTokens: 100_000, agents: [{ model, prompt: (w) => w.description, capabilities: ["llm"], limiter }] });
 * const orchestrator = new HierarchicalOrchestrator({ plugins: [llm, myPatterns()] });
 * ```
 */
export function llmAgents(options: LlmAgentsOptions): EchelonPlugin {
  if (!Array.isArray(options?.agents)) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "llmAgents: options.agents must be an array of llmAgent options.",
    );
  }
  const ledger =
    options.ledger ??
    createUsageLedger(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {});
  const types = options.agents.map((agent) => llmAgent({ ...agent, usage: ledger }));
  return definePlugin({
    name: "@echelon/agents-llm",
    version: VERSION,
    register(ctx) {
      for (const type of types) ctx.registerAgentType(type);
      ctx.add(RESULT_ENRICHER, llmUsageEnricher(ledger));
    },
  });
}

/** Options of {@link llmDecomposerPlugin}. */
export interface LlmDecomposerPluginOptions extends LlmDecomposerOptions {
  /** Replace a decomposer another plugin bound already. Default false. */
  readonly override?: boolean;
}

/**
 * Binds an {@link llmDecomposer} under core's `DECOMPOSER` token.
 *
 * @param options - the decomposer's options, and `override`
 * @returns the plugin `@echelon/agents-llm/decomposer`
 * @throws EchelonError `ECHELON_CONFIG_INVALID` without a model; at registration
 * `ECHELON_DI_DUPLICATE_BINDING` when another decomposer is bound and `override` is not set
 */
export function llmDecomposerPlugin(options: LlmDecomposerPluginOptions): EchelonPlugin {
  const { override, ...rest } = options;
  const decomposer = llmDecomposer(rest);
  return definePlugin({
    name: "@echelon/agents-llm/decomposer",
    version: VERSION,
    register(ctx) {
      ctx.bind(DECOMPOSER, decomposer, override === true ? { override: true } : {});
    },
  });
}

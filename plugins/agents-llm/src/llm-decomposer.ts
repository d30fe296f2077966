import { CoreErrorCode, EchelonError, isEchelonError, type Plan, type TaskSpec } from "@echelon/core";
import { type DecomposeOptions, type Decomposer, specToPlan, validatePlan } from "@echelon/core/plugin";
import { TaskDecomposer } from "@echelon/decomposer";
import { generateText, type LanguageModel, type ModelMessage } from "ai";
import { callModel, checkRetryOptions, type LlmRetryOptions } from "./call-model.js";
import {
  forcePattern,
  type PlanIssue,
  parsePlanAnswer,
  planRetryPrompt,
  planSystemPrompt,
  planUserPrompt,
} from "./plan-prompt.js";
import { checkEagerLevels, deferBelow } from "./lazy-plan.js";
import type { ProviderLimiter } from "./provider-limiter.js";
import { addUsage, fromSdkUsage, type TokenUsage, ZERO_USAGE } from "./usage.js";

/** Options of {@link llmDecomposer}. */
export interface LlmDecomposerOptions {
  /** The model asked for the plan. */
  readonly model: LanguageModel;
  /** Decomposer used when the model's plan is still invalid after one retry, or the provider fails. Default: the heuristic `TaskDecomposer`. */
  readonly fallback?: Decomposer;
  /** Capabilities the registered agents offer, so the model can put them on leaves. */
  readonly capabilities?: readonly string[];
  /** Extra instructions appended to the system prompt. */
  readonly instructions?: string;
  /** Shared per-provider limiter. */
  readonly limiter?: ProviderLimiter;
  /** Retries of 429/5xx/connection errors. */
  readonly retry?: LlmRetryOptions;
  /** Cap on generated tokens per request. */
  readonly maxOutputTokens?: number;
  /**
   * Lazy decomposition: the model plans only this many levels below the root (1 to 64); a
   * subtask that needs more splitting is marked `expand: { using: "decompose" }` and planned
   * by this decomposer when the orchestrator reaches it (one more model request then). The
   * default fallback is lazy too. Default: none, every level is planned at once.
   */
  readonly eagerLevels?: number;
}

/** What the decomposer records on the plan root's `metadata.llmDecomposer`. JSON. */
export interface LlmDecomposition {
  /** Model requests made (1, or 2 after a retry). */
  readonly attempts: number;
  /** True when the plan came from the fallback decomposer. */
  readonly fallback: boolean;
  /** Why the model's plan was not used (last problems, or the provider error code). */
  readonly reason?: string;
  /** Problems found in the model's last answer. */
  readonly issues?: readonly PlanIssue[];
  /** Tokens used by the requests. */
  readonly usage: TokenUsage;
}

function issuesOf(error: unknown): PlanIssue[] {
  const raw = isEchelonError(error) ? error.details.issues : undefined;
  if (Array.isArray(raw) && raw.length > 0) {
    return raw.map((i: { path?: unknown; message?: unknown }) => ({
      path: String(i.path ?? ""),
      message: String(i.message ?? ""),
    }));
  }
  return [{ path: "", message: error instanceof Error ? error.message : String(error) }];
}

function annotate(plan: Plan, source: string, info: LlmDecomposition, options: DecomposeOptions): Plan {
  return validatePlan(
    { ...plan, source, root: { ...plan.root, metadata: { ...plan.root.metadata, llmDecomposer: info } } },
    { maxDepth: options.maxDepth, patterns: options.patterns },
  );
}

/**
 * A decomposer that asks a language model for the plan. The answer must be a TaskSpec that
 * validates against core's plan schema (`specToPlan`: ids, dependencies without cycles,
 * registered patterns, `maxDepth`). If it does not, the model is asked once more with the
 * validation errors (their paths and messages); if that fails too — or the provider fails —
 * the fallback (the heuristic decomposer by default) makes the plan. The plan's `source` is
 * `llm`, or `llm-fallback:<fallback name>`, and its root's `metadata.llmDecomposer` says how
 * it was made ({@link LlmDecomposition}). A TaskSpec that already has children (or gets them at
 * run time, `expand`) is handed to the fallback as it is, without asking the model. With
 * `eagerLevels`, the model plans only the first levels and deeper subtasks are decomposed when
 * the orchestrator reaches them.
 *
 * @param options - model, fallback, hints, limiter, retry
 * @returns the decomposer (bind it with {@link llmDecomposerPlugin})
 * @throws EchelonError `ECHELON_CONFIG_INVALID` without a model. `decompose` throws only the
 * fallback's errors or the cancellation reason.
 * @example
 * ```ts
 * const decomposer = llmDecomposer({ model: openai("gpt-4o-mini"), capabilities: ["summarise", "translate"] });
 * const plan = await decomposer.decompose("Translate and summarise these 3 reports", { maxDepth: 2, patterns: ["fork-join"] });
 * ```
 */
export function llmDecomposer(options: LlmDecomposerOptions): Decomposer {
  if (options?.model === undefined || options.model === null) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      "llmDecomposer: model is required (an AI SDK language model).",
    );
  }
  checkRetryOptions(options.retry);
  const eagerLevels = checkEagerLevels(options.eagerLevels);
  const fallback = options.fallback ?? new TaskDecomposer(eagerLevels === null ? {} : { eagerLevels });
  const model = typeof options.model === "string" ? options.model : options.model.modelId;
  return {
    name: "llm",
    async decompose(task: string | TaskSpec, decompose: DecomposeOptions): Promise<Plan> {
      // A spec that already has its structure needs no model: the fallback turns it into a plan as written.
      if (typeof task !== "string" && ((task?.children?.length ?? 0) > 0 || task?.expand !== undefined))
        return fallback.decompose(task, decompose);
      const signal = decompose.signal ?? new AbortController().signal;
      const system = planSystemPrompt(decompose, { ...options, eagerLevels });
      const messages: ModelMessage[] = [{ role: "user", content: planUserPrompt(task) }];
      let usage = ZERO_USAGE;
      let issues: PlanIssue[] = [];
      let reason = "";
      let attempts = 0;
      for (; attempts < 2; ) {
        attempts++;
        let text: string;
        try {
          const result = await callModel(
            () =>
              generateText({
                model: options.model,
                system,
                messages,
                abortSignal: signal,
                maxRetries: 0,
                ...(options.maxOutputTokens !== undefined
                  ? { maxOutputTokens: options.maxOutputTokens }
                  : {}),
              }),
            { model, signal, limiter: options.limiter, retry: options.retry },
          );
          usage = addUsage(usage, fromSdkUsage(result.totalUsage));
          text = result.text;
        } catch (error) {
          if (signal.aborted) throw signal.reason;
          reason = isEchelonError(error) ? error.code : String(error);
          issues = issuesOf(error);
          break;
        }
        const parsed = parsePlanAnswer(text);
        if (parsed.ok) {
          const lazy =
            eagerLevels !== null && eagerLevels < decompose.maxDepth
              ? deferBelow(parsed.value, eagerLevels)
              : parsed.value;
          const spec = decompose.pattern !== undefined ? forcePattern(lazy, decompose.pattern) : lazy;
          try {
            const plan = specToPlan(spec, {
              maxDepth: decompose.maxDepth,
              patterns: decompose.patterns,
              source: "llm",
              ...(decompose.patterns[0] !== undefined ? { defaultPattern: decompose.patterns[0] } : {}),
            });
            return annotate(plan, "llm", { attempts, fallback: false, usage }, decompose);
          } catch (error) {
            issues = issuesOf(error);
            reason = isEchelonError(error) ? error.code : "invalid plan";
          }
        } else {
          issues = [parsed.issue];
          reason = "answer is not JSON";
        }
        messages.push(
          { role: "assistant", content: text },
          { role: "user", content: planRetryPrompt(issues) },
        );
      }
      const plan = await fallback.decompose(task, decompose);
      return annotate(
        plan,
        `llm-fallback:${fallback.name}`,
        { attempts, fallback: true, reason, issues, usage },
        decompose,
      );
    },
  };
}

import { CoreErrorCode, EchelonError } from "@echelon/core";
import { LlmErrorCode } from "./errors.js";
import { addUsage, type TokenUsage, ZERO_USAGE } from "./usage.js";

/** Token usage of one orchestration, as stored under `result.metadata.extra.llm`. JSON. */
export interface LlmUsageSummary extends TokenUsage {
  /** LLM requests that reported usage. */
  readonly requests: number;
  /** Usage per task invocation (node path), all attempts summed. */
  readonly tasks: Readonly<Record<string, TokenUsage>>;
  /** The budget, when one is set. */
  readonly budget?: {
    /** The budget: most total tokens the orchestration may use. */
    readonly maxTokens: number;
    /** True once the budget was reached and requests were refused. */
    readonly exceeded: boolean;
    /** Node paths refused because the budget was used up. */
    readonly refusedTasks: readonly string[];
  };
}

/** Options of {@link createUsageLedger}. */
export interface UsageLedgerOptions {
  /** Token budget per orchestration (total tokens). No budget when absent. */
  readonly maxTokens?: number;
  /** Orchestrations kept in memory before the oldest is dropped. Default 1000. */
  readonly retain?: number;
}

/**
 * Where LLM agents record token usage per orchestration, and where the budget is enforced.
 * Share one ledger between the agents and `llmUsagePlugin(ledger)`.
 */
export interface UsageLedger {
  /** The per-orchestration budget, or `null`. */
  readonly maxTokens: number | null;
  /** Adds usage of one request made for `nodePath` of `orchestrationId`. */
  record(orchestrationId: string, nodePath: string, usage: TokenUsage): void;
  /** Usage so far of one orchestration. */
  used(orchestrationId: string): TokenUsage;
  /**
   * Refuses a new request once the orchestration's budget is used up (and remembers the refusal).
   *
   * @throws EchelonError `ECHELON_LLM_BUDGET_EXCEEDED`
   */
  assertWithinBudget(orchestrationId: string, nodePath: string): void;
  /** The summary of one orchestration, or `undefined` when it made no LLM request. */
  summary(orchestrationId: string): LlmUsageSummary | undefined;
  /** Drops one orchestration's records. */
  forget(orchestrationId: string): void;
}

interface Entry {
  total: TokenUsage;
  requests: number;
  tasks: Map<string, TokenUsage>;
  refused: Set<string>;
}

/**
 * Creates a {@link UsageLedger}.
 *
 * @param options - budget, retention
 * @returns the ledger
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a non-positive `maxTokens` or `retain`
 * @example
 * ```ts
 * const ledger = createUsageLedger({ maxTokens: 50_000 });
 * const agents = [llmAgent({ model, prompt: (w) => w.description, capabilities: ["llm"], usage: ledger })];
 * new HierarchicalOrchestrator({ agents, plugins: [llmUsagePlugin(ledger)] });
 * ```
 */
export function createUsageLedger(options: UsageLedgerOptions = {}): UsageLedger {
  const { maxTokens, retain = 1000 } = options;
  if (maxTokens !== undefined && (!Number.isFinite(maxTokens) || maxTokens <= 0)) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `maxTokens must be a positive number, got ${String(maxTokens)}.`,
      {
        details: { option: "maxTokens" },
      },
    );
  }
  if (!Number.isInteger(retain) || retain < 1) {
    throw new EchelonError(
      CoreErrorCode.CONFIG_INVALID,
      `retain must be a positive integer, got ${String(retain)}.`,
      {
        details: { option: "retain" },
      },
    );
  }
  const entries = new Map<string, Entry>();
  const entry = (id: string): Entry => {
    let e = entries.get(id);
    if (e === undefined) {
      e = { total: ZERO_USAGE, requests: 0, tasks: new Map(), refused: new Set() };
      entries.set(id, e);
      if (entries.size > retain) entries.delete(entries.keys().next().value as string);
    }
    return e;
  };
  return {
    maxTokens: maxTokens ?? null,
    record(orchestrationId, nodePath, usage) {
      const e = entry(orchestrationId);
      e.total = addUsage(e.total, usage);
      e.requests++;
      e.tasks.set(nodePath, addUsage(e.tasks.get(nodePath) ?? ZERO_USAGE, usage));
    },
    used: (orchestrationId) => entries.get(orchestrationId)?.total ?? ZERO_USAGE,
    assertWithinBudget(orchestrationId, nodePath) {
      if (maxTokens === undefined) return;
      const e = entries.get(orchestrationId);
      const used = e?.total.totalTokens ?? 0;
      if (used < maxTokens) return;
      entry(orchestrationId).refused.add(nodePath);
      throw new EchelonError(
        LlmErrorCode.BUDGET_EXCEEDED,
        `The token budget of orchestration "${orchestrationId}" is used up (${used} of ${maxTokens} tokens); task "${nodePath}" was not sent to the model. Raise maxTokens or split the work.`,
        { details: { orchestrationId, nodePath, usedTokens: used, maxTokens, retryable: false } },
      );
    },
    summary(orchestrationId) {
      const e = entries.get(orchestrationId);
      if (e === undefined) return undefined;
      return {
        ...e.total,
        requests: e.requests,
        tasks: Object.fromEntries(e.tasks),
        ...(maxTokens !== undefined
          ? { budget: { maxTokens, exceeded: e.refused.size > 0, refusedTasks: [...e.refused] } }
          : {}),
      };
    },
    forget(orchestrationId) {
      entries.delete(orchestrationId);
    },
  };
}

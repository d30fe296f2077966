/** Tokens used by one or more LLM requests. */
export interface TokenUsage {
  /** Prompt tokens. */
  readonly inputTokens: number;
  /** Generated tokens. */
  readonly outputTokens: number;
  /** Total tokens as the provider reports them; `inputTokens + outputTokens` when it reports none. */
  readonly totalTokens: number;
}

/** No tokens. */
export const ZERO_USAGE: TokenUsage = Object.freeze({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });

/**
 * Sums two usages.
 *
 * @param a - first
 * @param b - second
 * @returns the sum
 */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** Token usage as the AI SDK reports it (every field optional). */
export interface SdkUsage {
  /** Prompt tokens, when reported. */
  readonly inputTokens?: number | undefined;
  /** Generated tokens, when reported. */
  readonly outputTokens?: number | undefined;
  /** Total tokens, when reported. */
  readonly totalTokens?: number | undefined;
}

/**
 * Reads the AI SDK's usage (fields may be missing when a provider does not report them).
 *
 * @param usage - `result.totalUsage` or an error's `usage`
 * @returns the usage, missing counts as 0, total = input + output when the provider gives none
 */
export function fromSdkUsage(usage: SdkUsage | undefined): TokenUsage {
  const inputTokens = finite(usage?.inputTokens);
  const outputTokens = finite(usage?.outputTokens);
  const total = usage?.totalTokens;
  return {
    inputTokens,
    outputTokens,
    totalTokens: typeof total === "number" && Number.isFinite(total) ? total : inputTokens + outputTokens,
  };
}

function finite(n: number | undefined): number {
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : 0;
}

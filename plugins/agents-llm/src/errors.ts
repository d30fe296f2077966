/**
 * Error codes raised by `@echelon/agents-llm`. Append-only: a code is never renamed or reused
 * for another meaning.
 */
export const LlmErrorCode = {
  /** The orchestration's token budget (`maxTokens`) is used up; no further LLM request is sent. */
  BUDGET_EXCEEDED: "ECHELON_LLM_BUDGET_EXCEEDED",
  /** The model's answer did not parse as JSON or did not match the `output` schema. `details.text` holds the answer (truncated). */
  OUTPUT_INVALID: "ECHELON_LLM_OUTPUT_INVALID",
  /** The provider's HTTP response could not be read (malformed JSON body, unexpected shape). */
  RESPONSE_INVALID: "ECHELON_LLM_RESPONSE_INVALID",
  /** HTTP 429 persisted after every retry, or Retry-After asked for a longer wait than allowed. */
  RATE_LIMITED: "ECHELON_LLM_RATE_LIMITED",
  /** The provider refused or failed the request (4xx other than 429, 5xx after retries, connection errors). */
  PROVIDER_ERROR: "ECHELON_LLM_PROVIDER_ERROR",
  /** `prompt(work)` or `system(work)` threw or returned something that is not a non-empty string. */
  PROMPT_INVALID: "ECHELON_LLM_PROMPT_INVALID",
} as const;

/** One of the LLM plugin's error codes. */
export type LlmErrorCode = (typeof LlmErrorCode)[keyof typeof LlmErrorCode];

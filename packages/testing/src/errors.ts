/**
 * Error codes raised by `@echelon/testing`'s test agents. Append-only.
 */
export const TestingErrorCode = {
  /** Raised on purpose by {@link failingAgent}: the failure under test, not a bug. */
  INJECTED_FAILURE: "ECHELON_TESTING_INJECTED_FAILURE",
} as const;

/** One of the testing error codes. */
export type TestingErrorCode = (typeof TestingErrorCode)[keyof typeof TestingErrorCode];

/**
 * Error codes of `@echelon/bench`, append-only.
 *
 * | code | meaning |
 * |---|---|
 * | `ECHELON_BENCH_WORKLOAD_UNKNOWN` | a workload or variant name the runner does not know |
 * | `ECHELON_BENCH_OPTIONS_INVALID` | a bad size, run count or option |
 * | `ECHELON_BENCH_CHILD_FAILED` | a measurement child process exited badly or printed no result |
 * | `ECHELON_BENCH_OUTPUT_MISMATCH` | a variant computed a different output than the baseline (the figure would be meaningless) |
 */
export const BenchErrorCode = {
  UNKNOWN_WORKLOAD: "ECHELON_BENCH_WORKLOAD_UNKNOWN",
  INVALID_OPTIONS: "ECHELON_BENCH_OPTIONS_INVALID",
  CHILD_FAILED: "ECHELON_BENCH_CHILD_FAILED",
  OUTPUT_MISMATCH: "ECHELON_BENCH_OUTPUT_MISMATCH",
} as const;

/** One of the {@link BenchErrorCode} values. */
export type BenchErrorCode = (typeof BenchErrorCode)[keyof typeof BenchErrorCode];

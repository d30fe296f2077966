import type { EchelonErrorJson } from "../errors/echelon-error.js";
import type { ChildOutcome } from "./pattern.js";

/** Final status of a pattern run on slices. */
export type PatternRunStatus = "completed" | "partial" | "failed" | "cancelled";

/** The outcome of running a pattern directly on slices (`PatternExecutor.executePattern`). */
export interface PatternResult {
  /** Name of the pattern that ran. */
  readonly pattern: string;
  /** Id of this run. */
  readonly runId: string;
  /** True when the pattern returned (completed or partial). */
  readonly success: boolean;
  /** `completed` or `partial` when the pattern returned, else `failed` or `cancelled`. */
  readonly status: PatternRunStatus;
  /** The pattern's result, or `null` on failure. */
  readonly result: unknown;
  /** One entry per slice, in slice order: the last known outcome of each. */
  readonly outcomes: readonly ChildOutcome[];
  /** Wall time in milliseconds (monotonic clock). */
  readonly executionTimeMs: number;
  /** Wall-clock start, epoch milliseconds. */
  readonly startedAt: number;
  /** The failure, when not successful. */
  readonly error: EchelonErrorJson | null;
  /** Pattern-specific facts (for a saga: steps run, steps compensated). */
  readonly details: Readonly<Record<string, unknown>>;
}

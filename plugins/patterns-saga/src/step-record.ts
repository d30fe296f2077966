import type { EchelonErrorJson } from "@echelon/core";
import type { CompensationVia } from "./events.js";

/** What happened to one step of a saga, as reported in `details.steps` (JSON). */
export interface StepRecord {
  /** Step id. */
  readonly step: string;
  /** Position in the saga (0-based). */
  readonly index: number;
  /** `not-run`: never started; `cancelled`: aborted by cancellation while running. */
  readonly status: "not-run" | "completed" | "failed" | "cancelled";
  /** Output of a completed step. */
  readonly output?: unknown;
  /** Failure of a failed or cancelled step. */
  readonly error?: EchelonErrorJson;
  /** Wall time of the step, in milliseconds. */
  readonly durationMs?: number;
  /**
   * Compensation of a completed step after a failure: `compensated`, `failed` (after every
   * retry), `not-compensable` (none declared), `not-attempted` (`onCompensationFailure: "stop"`).
   * Absent when no compensation was needed.
   */
  readonly compensation?: "compensated" | "failed" | "not-compensable" | "not-attempted";
  /** How it was compensated. */
  readonly compensationVia?: CompensationVia;
  /** Attempts the compensation took. */
  readonly compensationAttempts?: number;
  /** Last error of a compensation that finally failed. */
  readonly compensationError?: EchelonErrorJson;
}

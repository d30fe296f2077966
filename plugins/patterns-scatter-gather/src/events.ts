import type { PatternStatus } from "@echelon/core/plugin";

/** Payload of `scatter-gather:respondentsAborted`: stragglers aborted by the pattern. */
export interface ScatterGatherRespondentsAbortedEvent {
  /** Respondents aborted (`<childId>` or `<childId>#replica-<i>`). */
  readonly respondents: readonly string[];
  /** `decided`: the gather strategy was satisfied (or gave up); `deadline`: `deadlineMs` passed. */
  readonly reason: "decided" | "deadline";
}

/** Payload of `scatter-gather:gathered`: the gather decided. */
export interface ScatterGatherGatheredEvent {
  /** Name of the gather strategy. */
  readonly gather: string;
  /** `partial` when the value was built from fewer answers than asked for. */
  readonly status: PatternStatus;
  /** Respondents that answered, in arrival order. */
  readonly responded: readonly string[];
  /** Respondents that failed. */
  readonly failed: readonly string[];
  /** True when the deadline passed before the gather decided. */
  readonly deadlineHit: boolean;
}

declare module "@echelon/core" {
  interface EchelonEventMap {
    /** A scatter-gather aborted the respondents still running. */
    "scatter-gather:respondentsAborted": ScatterGatherRespondentsAbortedEvent;
    /** A scatter-gather gathered its answers into a result. */
    "scatter-gather:gathered": ScatterGatherGatheredEvent;
  }
}

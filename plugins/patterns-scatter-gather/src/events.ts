import type { PatternStatus } from "@echelon/core";

/** Payload of `scatter-gather:respondentsAborted`: stragglers aborted by the pattern. */
export interface ScatterGatherRespondentsAbortedEvent {
  readonly respondents: readonly string[];
  /** `decided`: the gather strategy was satisfied (or gave up); `deadline`: `deadlineMs` passed. */
  readonly reason: "decided" | "deadline";
}

/** Payload of `scatter-gather:gathered`: the gather decided. */
export interface ScatterGatherGatheredEvent {
  readonly gather: string;
  readonly status: PatternStatus;
  readonly responded: readonly string[];
  readonly failed: readonly string[];
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

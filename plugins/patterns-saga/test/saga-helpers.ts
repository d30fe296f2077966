import type { AgentWork, EchelonEvent, EventBus, PatternResult, TaskSlice } from "@echelon/core";
import type { StepRecord } from "../src/index.js";
import type { WorkPlan } from "@echelon/testing";

/** A saga step slice, optionally declaring a compensating task. */
export const step = (sliceId: string, compensate?: string): TaskSlice => ({
  sliceId,
  content: { step: sliceId },
  ...(compensate !== undefined ? { metadata: { compensate } } : {}),
});

/** Work plans by task id; anything else returns `out:<taskId>`. */
export function by(plans: Record<string, WorkPlan>): (work: AgentWork) => WorkPlan {
  return (work) => plans[work.taskId] ?? { output: `out:${work.taskId}` };
}

/** Collects `saga:*` events as `type:step`. */
export function sagaEvents(bus: EventBus): string[] {
  const seen: string[] = [];
  bus.onAny((e: EchelonEvent) => {
    if (e.type.startsWith("saga:")) seen.push(`${e.type}:${(e as unknown as { step: string }).step}`);
  });
  return seen;
}

/** The saga's details, typed for assertions. */
export interface SagaDetails {
  outcome: string;
  failedStep: string | null;
  stepsRun: string[];
  completed: string[];
  compensated: string[];
  notCompensable: string[];
  compensationFailed: string[];
  cancelled: boolean;
  steps: StepRecord[];
}

/** Details of a failed run. */
export const detailsOf = (run: PatternResult): SagaDetails =>
  (run.error?.details ?? {}) as unknown as SagaDetails;

import type { EchelonErrorJson } from "@echelon/core";

/** How a step was compensated: an in-process handler, or the step's compensating task. */
export type CompensationVia = "handler" | "task";

/** Payload of `saga:stepCompleted`. */
export interface SagaStepCompletedEvent {
  readonly step: string;
  readonly index: number;
  readonly output: unknown;
  readonly durationMs: number;
}

/** Payload of `saga:stepFailed` (`cancelled` when the saga's signal aborted the step). */
export interface SagaStepFailedEvent {
  readonly step: string;
  readonly index: number;
  readonly error: EchelonErrorJson;
  readonly cancelled: boolean;
}

/** Payload of `saga:stepCompensated`. */
export interface SagaStepCompensatedEvent {
  readonly step: string;
  readonly index: number;
  readonly via: CompensationVia;
  readonly attempts: number;
}

/** Payload of `saga:compensationFailed`: the compensation failed after every attempt. */
export interface SagaCompensationFailedEvent {
  readonly step: string;
  readonly index: number;
  readonly via: CompensationVia;
  readonly attempts: number;
  readonly error: EchelonErrorJson;
}

/** Payload of `saga:compensationSkipped`: a completed step that was not compensated, and why. */
export interface SagaCompensationSkippedEvent {
  readonly step: string;
  readonly index: number;
  /** `not-compensable`: no handler and no compensating task; `stopped`: `onCompensationFailure: "stop"`. */
  readonly reason: "not-compensable" | "stopped";
}

declare module "@echelon/core" {
  interface EchelonEventMap {
    /** A saga step completed. */
    "saga:stepCompleted": SagaStepCompletedEvent;
    /** A saga step failed or was cancelled; compensation of the completed steps follows. */
    "saga:stepFailed": SagaStepFailedEvent;
    /** A completed step was compensated. */
    "saga:stepCompensated": SagaStepCompensatedEvent;
    /** A step's compensation failed after all its retries. */
    "saga:compensationFailed": SagaCompensationFailedEvent;
    /** A completed step was not compensated (none declared, or compensation stopped). */
    "saga:compensationSkipped": SagaCompensationSkippedEvent;
  }
}

import type { EchelonErrorJson } from "@echelon/core";

/** How a step was compensated: an in-process handler, or the step's compensating task. */
export type CompensationVia = "handler" | "task";

/** Payload of `saga:stepCompleted`. */
export interface SagaStepCompletedEvent {
  /** Id of the step. */
  readonly step: string;
  /** Position of the step in the saga (0-based). */
  readonly index: number;
  /** The step's output (JSON). */
  readonly output: unknown;
  /** Wall time of the step, in milliseconds. */
  readonly durationMs: number;
}

/** Payload of `saga:stepFailed` (`cancelled` when the saga's signal aborted the step). */
export interface SagaStepFailedEvent {
  /** Id of the step. */
  readonly step: string;
  /** Position of the step in the saga (0-based). */
  readonly index: number;
  /** The failure, as JSON. */
  readonly error: EchelonErrorJson;
  /** True when the step was aborted by cancellation rather than failing on its own. */
  readonly cancelled: boolean;
}

/** Payload of `saga:stepCompensated`. */
export interface SagaStepCompensatedEvent {
  /** Id of the step. */
  readonly step: string;
  /** Position of the step in the saga (0-based). */
  readonly index: number;
  /** How the step was compensated: an in-process handler or its compensating task. */
  readonly via: CompensationVia;
  /** Attempts made, first included. */
  readonly attempts: number;
}

/** Payload of `saga:compensationFailed`: the compensation failed after every attempt. */
export interface SagaCompensationFailedEvent {
  /** Id of the step. */
  readonly step: string;
  /** Position of the step in the saga (0-based). */
  readonly index: number;
  /** How the step was compensated: an in-process handler or its compensating task. */
  readonly via: CompensationVia;
  /** Attempts made, first included. */
  readonly attempts: number;
  /** The failure, as JSON. */
  readonly error: EchelonErrorJson;
}

/** Payload of `saga:compensationSkipped`: a completed step that was not compensated, and why. */
export interface SagaCompensationSkippedEvent {
  /** Id of the step. */
  readonly step: string;
  /** Position of the step in the saga (0-based). */
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

/**
 * `@echelon/patterns-saga` — ordered steps; on failure or cancellation the completed steps
 * are compensated in reverse order, with retries, never silently skipped.
 *
 * @packageDocumentation
 */
export { SagaErrorCode } from "./errors.js";
export type {
  CompensationVia,
  SagaCompensationFailedEvent,
  SagaCompensationSkippedEvent,
  SagaStepCompensatedEvent,
  SagaStepCompletedEvent,
  SagaStepFailedEvent,
} from "./events.js";
export type { CompensationContext, CompensationHandler } from "./handlers.js";
export {
  type CompensationFailurePolicy,
  type CompensationRetryPolicy,
  DEFAULT_COMPENSATION_RETRY,
  type ResolvedRetryPolicy,
  type SagaOptions,
} from "./options.js";
export { type SagaPlugin, sagaPattern } from "./plugin.js";
export { createSagaPattern, type RegisterHandlerOptions, type SagaPattern } from "./saga-pattern.js";
export type { StepRecord } from "./step-record.js";
export { VERSION } from "./version.js";

/**
 * `@echelon/patterns-fork-join` — children in parallel honouring `dependsOn` as a DAG, joined
 * by a strategy.
 *
 * @packageDocumentation
 */
export { ForkJoinErrorCode } from "./errors.js";
export type { ForkJoinChildSkippedEvent, ForkJoinChildrenAbortedEvent } from "./events.js";
export {
  createForkJoinPattern,
  type ForkJoinPattern,
  type RegisterJoinOptions,
} from "./fork-join-pattern.js";
export {
  type JoinContext,
  type JoinFunction,
  type JoinResult,
  type JoinStrategy,
  joinAll,
  joinAllSettled,
  joinFirstSuccess,
} from "./join-strategies.js";
export type { FailurePolicy, ForkJoinOptions } from "./options.js";
export { type ForkJoinPlugin, forkJoinPattern } from "./plugin.js";
export { VERSION } from "./version.js";

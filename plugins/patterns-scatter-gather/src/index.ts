/**
 * `@echelon/patterns-scatter-gather` — broadcast one task to N respondents and gather the
 * answers by a strategy, with a deadline.
 *
 * @packageDocumentation
 */
export { ScatterGatherErrorCode } from "./errors.js";
export type { ScatterGatherGatheredEvent, ScatterGatherRespondentsAbortedEvent } from "./events.js";
export {
  type GatherAnswer,
  type GatherDecision,
  type GatherFailure,
  type GatherState,
  type GatherStrategy,
  gatherAll,
  gatherFirst,
  gatherMajority,
  gatherQuorum,
} from "./gather-strategies.js";
export { DEFAULT_MAX_REPLICAS, type ScatterGatherOptions } from "./options.js";
export { type ScatterGatherPlugin, scatterGatherPattern } from "./plugin.js";
export {
  createScatterGatherPattern,
  type RegisterOptions,
  type ScatterGatherPattern,
} from "./scatter-gather-pattern.js";
export { canonicalJson, type VoteKeyFunction } from "./vote-key.js";
export { VERSION } from "./version.js";

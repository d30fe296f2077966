/**
 * `@echelon/core/plugin` — what plugin authors need: the plugin contract, DI tokens and
 * container, the pattern, distribution-strategy, decomposer and result-enricher contracts,
 * plan building for decomposers, abort helpers, and the slice runner the pattern conformance
 * suite uses. Users of the orchestrator import from `@echelon/core`.
 *
 * @module @echelon/core/plugin
 */
import "reflect-metadata";

export { isAgent, isAgentType } from "./agents/agent.js";
export { singleAgentType } from "./agents/function-agent.js";
export type { DecomposeOptions, Decomposer } from "./decomposition/decomposer.js";
export { type BindOptions, EchelonContainer } from "./di/container.js";
export { createToken, type Token } from "./di/token.js";
export {
  AGENT_TYPE,
  DECOMPOSER,
  DISTRIBUTION_STRATEGY,
  EXPANDER,
  EVENT_STORE,
  LOGGER,
  PATTERN,
  RESULT_ENRICHER,
} from "./di/tokens.js";
export type { AgentLoad, DistributionStrategy, TaskRequest } from "./distribution/strategy.js";
export type { ExpandRequest, Expander, Expansion } from "./expansion/expander.js";
export { runPatternOnSlices } from "./pattern-executor/run-pattern-on-slices.js";
export type { SliceRunOptions } from "./pattern-executor/run-slices.js";
export type {
  CompensateChildOptions,
  Pattern,
  PatternChild,
  PatternContext,
  PatternOrdering,
  PatternOutcome,
  PatternStatus,
  RecommendContext,
  RunChildOptions,
  SliceLayout,
} from "./patterns/pattern.js";
export { complexityForHeight } from "./plan/complexity.js";
export { DEFAULT_MAX_NODES, MAX_PLAN_DEPTH, type PlanBuildOptions } from "./plan/options.js";
export { specToPlan, validateTaskSpec } from "./plan/spec.js";
export { validatePlan } from "./plan/validate-plan.js";
export { walkPlan } from "./plan/walk.js";
export { definePlugin, type EchelonPlugin, type PluginContext } from "./plugins/plugin.js";
export type { ResultEnricher } from "./runtime/result-enricher.js";
export { leaseHeld } from "./store/memory-event-store.js";
export {
  abortableDelay,
  abortError,
  type LinkedController,
  linkedController,
  raceAbort,
  throwIfAborted,
} from "./util/abort.js";
export { assertJsonSerializable, MAX_OUTPUT_NESTING } from "./util/json.js";

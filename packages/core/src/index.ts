/**
 * `@echelon/core` — the runtime every Echelon plugin plugs into.
 *
 * @packageDocumentation
 */
import "reflect-metadata";

export {
  type Agent,
  type AgentContext,
  type AgentType,
  type AgentWork,
  isAgent,
  isAgentType,
  type SpawnContext,
} from "./agents/agent.js";
export {
  type AgentFunction,
  type FunctionAgentOptions,
  functionAgent,
  singleAgentType,
} from "./agents/function-agent.js";
export { type BindOptions, EchelonContainer } from "./di/container.js";
export { createToken, type Token } from "./di/token.js";
export {
  AGENT_TYPE,
  DECOMPOSER,
  DISTRIBUTION_STRATEGY,
  EVENT_STORE,
  LOGGER,
  PATTERN,
  RESULT_ENRICHER,
} from "./di/tokens.js";
export type { DecomposeOptions, Decomposer } from "./decomposition/decomposer.js";
export {
  type AgentLoad,
  type DistributionStrategy,
  fallbackLeastLoaded,
  type TaskRequest,
} from "./distribution/strategy.js";
export {
  CoreErrorCode,
  EchelonError,
  type EchelonErrorCode,
  type EchelonErrorJson,
  type EchelonErrorOptions,
  isEchelonError,
  toEchelonError,
} from "./errors/index.js";
export { isNonRetryable, NonRetryableError, type NonRetryableErrorOptions } from "./errors/non-retryable.js";
export { type AnyEventListener, EventBus, type EventListener } from "./events/event-bus.js";
export type {
  EchelonEvent,
  EchelonEventMap,
  EchelonEventName,
  EventBase,
  TaskKind,
} from "./events/event-map.js";
export { levelName, levelNames } from "./model/levels.js";
export type {
  NodeState,
  NodeStatus,
  OrchestrationMetrics,
  OrchestrationResult,
  OrchestrationResultMetadata,
  OrchestrationState,
  OrchestrationStatus,
} from "./model/result.js";
export {
  COMPLEXITIES,
  type Complexity,
  type Plan,
  type PlanNode,
  type RetryPolicy,
  type TaskSlice,
  type TaskSpec,
} from "./model/task.js";
export type { ResultEnricher } from "./orchestrator/result-enricher.js";
export type {
  ChildOutcome,
  CompensateChildOptions,
  Pattern,
  PatternChild,
  PatternContext,
  PatternOrdering,
  PatternOutcome,
  PatternStatus,
  RunChildOptions,
} from "./patterns/pattern.js";
export type { PatternResult, PatternRunStatus } from "./patterns/pattern-result.js";
export {
  runPatternOnSlices,
  type SliceFunction,
  type SliceRunOptions,
  sliceToChild,
  toSliceAgents,
} from "./patterns/slice-runner.js";
export { definePlugin, type EchelonPlugin, type PluginContext } from "./plugins/plugin.js";
export { orderPlugins } from "./plugins/plugin-host.js";
export { type EventStore, MemoryEventStore, type MemoryEventStoreOptions } from "./store/event-store.js";
export {
  abortableDelay,
  abortError,
  type LinkedController,
  linkedController,
  raceAbort,
  throwIfAborted,
} from "./util/abort.js";
export { assertJsonSerializable } from "./util/json.js";
export { type Logger, silentLogger } from "./util/logger.js";
export type { AgentSnapshot, HierarchySnapshot, LevelSnapshot } from "./hierarchy/agent-hierarchy.js";
export {
  type BusyLookup,
  computeCoordinationOverhead,
  computeLowerBound,
  criticalPathMs,
  type NodeBusy,
} from "./metrics/overhead.js";
export {
  DEFAULT_MAX_AGENTS_PER_LEVEL,
  type HierarchicalOrchestratorOptions,
} from "./orchestrator/options.js";
export { HierarchicalOrchestrator, type OrchestrateOptions } from "./orchestrator/orchestrator.js";
export type { MissingCapability } from "./orchestrator/preflight.js";
export { recommendPattern } from "./orchestrator/plan-maker.js";
export { type ReplayedOrchestration, replayOrchestration } from "./store/replay.js";
export { combineSignals, followsSignal, onAbort } from "./util/abort.js";
export * from "./plan/index.js";
export * from "./pattern-executor/index.js";

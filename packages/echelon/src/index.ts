/**
 * `echelon` — batteries-included Echelon: what `@echelon/core` exports for users, plus
 * `createOrchestrator` and `createPatternExecutor` with the default plugins wired (the heuristic
 * decomposer, the four distribution strategies and the five patterns), `defaultPlugins()`,
 * configuration presets and the plugins' own factories and types. Plugin authors import from
 * `echelon/plugin` (the same as `@echelon/core/plugin`).
 *
 * @module echelon
 */
export type { HierarchicalOrchestrator, PatternExecutor } from "@echelon/core";
export {
  type Agent,
  type AgentContext,
  type AgentFunction,
  type AgentSnapshot,
  type AgentType,
  type AgentWork,
  type AnyEventListener,
  applyRunEvent,
  type BusyTotals,
  type ChildOutcome,
  COMPLEXITIES,
  type Complexity,
  CoreErrorCode,
  createRunState,
  type DepthProgress,
  EchelonError,
  type EchelonErrorCode,
  type EchelonErrorJson,
  type EchelonErrorOptions,
  type EchelonEvent,
  type EchelonEventMap,
  type EchelonEventName,
  type EchelonPlugin,
  type EventBase,
  EventBus,
  type EventListener,
  type EventStore,
  type ExecutePatternOptions,
  type ExecutorAgent,
  foldRunState,
  functionAgent,
  type FunctionAgentOptions,
  type HierarchicalOrchestratorOptions,
  type HierarchySnapshot,
  isEchelonError,
  isFinalState,
  isFinalTaskState,
  levelName,
  type LevelSnapshot,
  type Logger,
  MemoryEventStore,
  type MemoryEventStoreOptions,
  NodePath,
  type NodePathSegment,
  type NodeState,
  type NodeStatus,
  type OrchestrateOptions,
  type OrchestrationMetrics,
  OrchestrationPattern,
  type OrchestrationResult,
  type OrchestrationResultMetadata,
  type OrchestrationState,
  type OrchestrationStatus,
  type ParsedNodePath,
  type PatternExecution,
  type PatternExecutorOptions,
  type PatternMap,
  type PatternPerformance,
  type PatternRegistry,
  type PatternResult,
  type PatternRunStatus,
  type Plan,
  type PlanNode,
  reduceRunState,
  type ReplayedOrchestration,
  replayOrchestration,
  type RetryPolicy,
  runProgress,
  type RunState,
  type RunStateOptions,
  runStatus,
  settledCounts,
  silentLogger,
  type SliceFunction,
  type SpawnContext,
  type TaskCounts,
  type TaskKind,
  type TaskRecord,
  type TaskSlice,
  type TaskSpec,
  toEchelonError,
} from "@echelon/core";
export {
  DEFAULT_PLUGIN_NAMES,
  type DefaultPluginsOptions,
  defaultPlugins,
  withDefaultPlugins,
} from "./default-plugins.js";
export { EchelonPackageErrorCode } from "./errors.js";
export { createOrchestrator, DEFAULT_STRATEGY } from "./orchestrator.js";
export { createPatternExecutor } from "./pattern-executor.js";
export { type PresetName, presets, withPreset } from "./presets.js";
export {
  analyzeComplexity,
  type CapabilityRule,
  DEFAULT_CAPABILITY_RULES,
  DecomposerErrorCode,
  heuristicDecomposer,
  type HeuristicDecomposerOptions,
  inferCapabilities,
  loadSpec,
  type LoadSpecOptions,
  TaskDecomposer,
} from "@echelon/decomposer";
export {
  distributionStrategies,
  type DistributionStrategiesOptions,
  DistributorErrorCode,
} from "@echelon/distributor";
export {
  type CustomReducerFn,
  type MapReducePlugin,
  type MapReducePluginOptions,
  MapReduceErrorCode,
  mapReducePattern,
} from "@echelon/patterns-mapreduce";
export {
  PipelineErrorCode,
  type PipelinePlugin,
  type PipelinePluginOptions,
  pipelinePattern,
  type StageProcessor,
} from "@echelon/patterns-pipeline";
export {
  ForkJoinErrorCode,
  type ForkJoinOptions,
  type ForkJoinPlugin,
  forkJoinPattern,
  type JoinStrategy,
} from "@echelon/patterns-fork-join";
export {
  type GatherState,
  type GatherDecision,
  type GatherStrategy,
  ScatterGatherErrorCode,
  type ScatterGatherOptions,
  type ScatterGatherPlugin,
  scatterGatherPattern,
} from "@echelon/patterns-scatter-gather";
export {
  type CompensationHandler,
  SagaErrorCode,
  type SagaOptions,
  type SagaPlugin,
  sagaPattern,
} from "@echelon/patterns-saga";

/**
 * `echelon` — batteries-included Echelon: everything `@echelon/core` exports, plus
 * `HierarchicalOrchestrator` and `PatternExecutor` with the default plugins wired (the heuristic decomposer, the four
 * distribution strategies and the five patterns), `defaultPlugins()` and configuration presets.
 *
 * @packageDocumentation
 */
export * from "@echelon/core";
export {
  DEFAULT_PLUGIN_NAMES,
  type DefaultPluginsOptions,
  defaultPlugins,
  withDefaultPlugins,
} from "./default-plugins.js";
export { EchelonPackageErrorCode } from "./errors.js";
export { DEFAULT_STRATEGY, HierarchicalOrchestrator } from "./orchestrator.js";
export { PatternExecutor } from "./pattern-executor.js";
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

/**
 * `@echelon/core` — the runtime every Echelon plugin plugs into. This entry holds what users
 * call: the orchestrator, the pattern executor, agents, plans, results, status, events, the
 * journal and the run-state fold. What plugin authors need (pattern and strategy contracts,
 * DI tokens, abort helpers) is in `@echelon/core/plugin`.
 *
 * @module @echelon/core
 */
import "reflect-metadata";

export type { Agent, AgentContext, AgentType, AgentWork, SpawnContext } from "./agents/agent.js";
export { type AgentFunction, type FunctionAgentOptions, functionAgent } from "./agents/function-agent.js";
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
export type { AgentSnapshot, HierarchySnapshot, LevelSnapshot } from "./hierarchy/agent-hierarchy.js";
export { levelName } from "./model/levels.js";
export type {
  NodeState,
  NodeStatus,
  OrchestrationMetrics,
  OrchestrationResult,
  OrchestrationResultMetadata,
  OrchestrationState,
  OrchestrationStatus,
} from "./model/result.js";
export { hashPlan } from "./plan/plan-hash.js";
export {
  COMPLEXITIES,
  type Complexity,
  type ExpandSpec,
  type Placeholder,
  type TaskTemplate,
  type Plan,
  type PlanNode,
  type RetryPolicy,
  type TaskSlice,
  type TaskSpec,
} from "./model/task.js";
export {
  DEFAULT_RETAIN_FINISHED_BYTES,
  type HierarchicalOrchestratorOptions,
} from "./orchestrator/options.js";
export { HierarchicalOrchestrator, type OrchestrateOptions } from "./orchestrator/orchestrator.js";
export type { ResumeOptions } from "./orchestrator/resume-check.js";
export type { PatternExecution, PatternPerformance } from "./pattern-executor/execution-history.js";
export type { ExecutorAgent, SliceFunction } from "./pattern-executor/executor-agents.js";
export {
  OrchestrationPattern,
  type PatternMap,
  type PatternRegistry,
} from "./pattern-executor/orchestration-pattern.js";
export {
  type ExecutePatternOptions,
  PatternExecutor,
  type PatternExecutorOptions,
} from "./pattern-executor/pattern-executor.js";
export type { ChildOutcome } from "./patterns/pattern.js";
export type { PatternResult, PatternRunStatus } from "./patterns/pattern-result.js";
export type { EchelonPlugin } from "./plugins/plugin.js";
export { applyRunEvent, foldRunState, reduceRunState } from "./run-state/apply-event.js";
export { NodePath, type NodePathSegment, type ParsedNodePath } from "./run-state/node-path.js";
export {
  type BusyTotals,
  type RunExpansion,
  createRunState,
  type DepthProgress,
  isFinalState,
  isFinalTaskState,
  type RunState,
  type RunStateOptions,
  runProgress,
  type TaskCounts,
  type TaskRecord,
} from "./run-state/run-state.js";
export { runStatus } from "./run-state/status-view.js";
export type {
  CancelRequestOutcome,
  ClaimOptions,
  EventStore,
  Lease,
  PruneOptions,
  RunSummary,
} from "./store/event-store.js";
export {
  DEFAULT_MEMORY_STORE_MAX_BYTES,
  MemoryEventStore,
  type MemoryEventStoreOptions,
} from "./store/memory-event-store.js";
export { estimateEventBytes, estimatePlanBytes } from "./store/retained-size.js";
export { estimateJsonBytes } from "./util/estimate-bytes.js";
export { isOwnerProcessGone } from "./runtime/run-ownership.js";
export { type ReplayedOrchestration, replayOrchestration } from "./store/replay.js";
export { type Logger, silentLogger } from "./util/logger.js";

/**
 * PatternExecutor: run coordination patterns directly on slices, without a plan.
 *
 * @packageDocumentation
 */
export type { PatternExecution, PatternPerformance } from "./execution-history.js";
export type { ExecutorAgent } from "./executor-agents.js";
export { OrchestrationPattern, type PatternMap, type PatternRegistry } from "./orchestration-pattern.js";
export {
  type ExecutePatternOptions,
  PatternExecutor,
  type PatternExecutorOptions,
} from "./pattern-executor.js";
export {
  builtInScore,
  type ChildrenShape,
  describeChildren,
  RECOMMENDATION_TIE_BREAK,
  recommendFromShape,
} from "./recommend.js";

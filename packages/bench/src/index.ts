/**
 * `@echelon/bench` — Echelon's benchmark suite: every workload measured in fresh child
 * processes against raw baselines (plain `Promise.all` / loops and `p-limit`) in the same run,
 * reported as medians with min–max and ratios, with SVG charts and CPU profiles of missed goals.
 *
 * @packageDocumentation
 */
export type { ChildRequest, ChildResult, Extra, HotSpot, ProfileSummary } from "./child/protocol.js";
export {
  type CpuProfile,
  locate,
  locateFrame,
  type ProfileFrame,
  summarizeProfiles,
} from "./child/profile.js";
export { SourceMapLocator } from "./child/source-maps.js";
export { BenchErrorCode } from "./errors.js";
export { checkGoals, type GoalCheck, type ProfileTarget } from "./goals.js";
export { finishMachineInfo, machineInfo, type MachineInfo } from "./machine.js";
export { barChart, type BarChartOptions, lineChart, type LineChartOptions } from "./report/svg.js";
export type { BenchReport, ProfileRecord } from "./report/document.js";
export { renderDocument } from "./report/document.js";
export { writeReport } from "./report/write.js";
export { type BenchOutcome, runBench, type RunBenchOptions } from "./run-bench.js";
export {
  type CaseResult,
  type Ratio,
  runCase,
  runSuite,
  type RunSuiteOptions,
  type VariantFigures,
} from "./run-suite.js";
export { childEntry, runChild, type RunChildOptions } from "./spawn.js";
export { median, round, type Summary, summarize } from "./stats.js";
export { type CaseSpec, type SuiteMode, suiteCases } from "./suite.js";
export type { Iteration, Trial, VariantFactory, Workload } from "./child/trial.js";
export { WORKLOADS } from "./workloads/index.js";

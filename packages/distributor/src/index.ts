/**
 * `@echelon/distributor` — the workload distributor and the four built-in distribution
 * strategies (round robin, least loaded, capability based, priority based with aging).
 *
 * @packageDocumentation
 */
export { DistributorErrorCode } from "./errors.js";
export {
  assertCapabilitiesCovered,
  type CapabilityProvider,
  findMissingCapabilities,
  type MissingCapability,
} from "./missing-capabilities.js";
export { type DistributionStrategiesOptions, distributionStrategies } from "./plugin.js";
export { type BuiltInStrategyOptions, builtInStrategies } from "./strategies/built-in.js";
export { type CapabilityStrategyOptions, capabilityStrategy } from "./strategies/capability.js";
export { leastLoadedStrategy } from "./strategies/least-loaded.js";
export { effectivePriority, type PriorityStrategyOptions, priorityStrategy } from "./strategies/priority.js";
export { roundRobinStrategy } from "./strategies/round-robin.js";
export type { AgentRegistration, TaskToAssign, WorkloadDistributorOptions } from "./distributor-types.js";
export { WorkloadDistributor } from "./workload-distributor.js";

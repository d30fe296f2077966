/**
 * `@echelon/testing` — conformance suites and test agents for Echelon plugin authors.
 *
 * @packageDocumentation
 */
export {
  type ConformanceCheck,
  type ConformanceSubject,
  PATTERN_CONFORMANCE_CHECKS,
  type PatternConformanceOptions,
} from "./conformance-checks.js";
export { describePatternConformance } from "./describe-pattern-conformance.js";
export { describeStoreConformance, STORE_CONFORMANCE_CHECKS } from "./describe-store-conformance.js";
export { type Mark, Recorder, type WorkPlan } from "./recorder.js";
export { referencePatterns } from "./reference-patterns.js";
export {
  type StoreConformanceCheck,
  type StoreConformanceOptions,
  type StoreConformanceSubject,
  STORE_JOURNAL_CHECKS,
} from "./store-checks.js";
export { STORE_COORDINATION_CHECKS } from "./store-coordination-checks.js";
export { type JournalFixture, type JournalFixtureOptions, journalFixture } from "./store-journal.js";
export { TestingErrorCode } from "./errors.js";
export { loadPattern } from "./load-pattern.js";
export { PATTERN_ORCHESTRATION_CHECKS } from "./orchestration-checks.js";
export {
  type AgentCall,
  type FailingAgentOptions,
  failingAgent,
  hangingAgent,
  recordingAgent,
  type SlowAgentOptions,
  slowAgent,
  type TestAgent,
  type TestAgentOptions,
  type TestWork,
} from "./test-agents.js";
export {
  createTestOrchestrator,
  patternSpec,
  type TestOrchestrator,
  type TestOrchestratorOptions,
} from "./test-orchestrator.js";

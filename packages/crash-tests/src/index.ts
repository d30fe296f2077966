/**
 * `@echelon/crash-tests` — the crash harness: child processes that run fixed plans on a real
 * orchestrator over an SQLite journal, SIGKILL themselves right after journal write K, and are
 * resumed in a fresh process; plus the checks that compare each resume with the fault-free run.
 *
 * @packageDocumentation
 */
export type { ChildConfig, ChildOutput } from "./child-config.js";
export {
  crashProblems,
  type Moment,
  momentsOf,
  outcomeOf,
  rerunKeys,
  sagaSequence,
  sagaViolation,
  taskStates,
  withoutTimings,
} from "./checks.js";
export { EffectsLedger, type Phase, readLedger } from "./effects-ledger.js";
export { harnessAgent, type HarnessAgentOptions } from "./harness-agent.js";
export { type KillNote, type KillPoint, KillSwitchStore } from "./kill-switch-store.js";
export { type Act, mapReducesOf, otherStagesOf, type PlanName, planSpec, sagasOf } from "./plans.js";
export {
  CHILD_SCRIPT,
  type ChildExit,
  mapLimit,
  runChild,
  type StartedChild,
  startChild,
} from "./run-child.js";
export {
  type CaseSpec,
  type CrashRecord,
  crashAndResume,
  faultFreeRun,
  RUN_ID,
  readJournal,
  type RunRecord,
} from "./scenario.js";
export { mulberry32, seededKills } from "./seeded.js";
export {
  DEFAULT_SEED,
  MAP_REDUCE_LEAVES,
  MIXED_BATCHED,
  MIXED_UNBATCHED,
  mapReduceSweep,
  mixedSweep,
  NAMED_KILLS,
  type NamedKill,
} from "./suites.js";
export {
  everyWrite,
  failureReport,
  type KillOutcome,
  runSweep,
  type SweepOptions,
  type SweepReport,
  summaryLine,
} from "./sweep.js";

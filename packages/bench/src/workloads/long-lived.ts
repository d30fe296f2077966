import type { HierarchicalOrchestratorOptions, OrchestrationResult, TaskSpec } from "@echelon/core";
import type { Extra } from "../child/protocol.js";
import type { Trial } from "../child/trial.js";
import {
  expectSuccess,
  type Flavour,
  makeOrchestrator,
  planIteration,
  prepared,
  resultFigures,
} from "./echelon-setup.js";

/**
 * The trial of a variant that measures what a user meets: one orchestrator, made once per
 * child process and reused by every iteration (as a server keeps one for hours), and each
 * iteration times the whole `orchestrateComplexTask(spec)` call — decomposition, validation
 * and preflight of the spec included. Finished runs stay in the orchestrator within its default
 * retention, so back-to-back iterations show what it keeps. Compare `echelon-run-only`
 * (`prepared` + `planIteration`: a fresh orchestrator, the plan made before the timer starts).
 *
 * @param what - workload and variant, for messages
 * @param flavour - which orchestrator
 * @param options - orchestrator options
 * @param spec - the task, handed in as a user would, every iteration
 * @param check - checks `result.result` (throws on a mismatch) and may add figures
 * @returns the trial
 */
export function wholeCall(
  what: string,
  flavour: Flavour,
  options: HierarchicalOrchestratorOptions,
  spec: TaskSpec,
  check: (output: unknown) => Record<string, Extra> | undefined,
): Trial {
  const orchestrator = makeOrchestrator(flavour, options);
  return async () => ({
    run: () => orchestrator.orchestrateComplexTask(spec),
    finish(output) {
      const result = output as OrchestrationResult;
      expectSuccess(what, result);
      const extra = check(result.result) ?? {};
      return {
        ...resultFigures(result),
        liveAgents: orchestrator.getAgentHierarchy().totalAgents,
        retainedRuns: orchestrator.listOrchestrations().length,
        ...extra,
      };
    },
  });
}

/** How an Echelon variant is timed: the whole call on a long-lived orchestrator, or the run alone. */
export type Timing = "whole-call" | "run-only";

/**
 * The trial of an Echelon variant timed one way or the other: {@link wholeCall}, or `run-only`
 * (a fresh orchestrator per iteration, its plan made and validated before the timer starts).
 *
 * @param timing - which
 * @param what - workload and variant, for messages
 * @param flavour - which orchestrator
 * @param options - orchestrator options
 * @param spec - the task
 * @param check - checks `result.result` and may add figures
 * @returns the trial
 */
export function echelonTrial(
  timing: Timing,
  what: string,
  flavour: Flavour,
  options: HierarchicalOrchestratorOptions,
  spec: TaskSpec,
  check: (output: unknown) => Record<string, Extra> | undefined,
): Trial {
  if (timing === "whole-call") return wholeCall(what, flavour, options, spec, check);
  return async () => planIteration(what, await prepared(flavour, options, spec), check);
}

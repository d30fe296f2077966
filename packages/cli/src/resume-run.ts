import type { HierarchicalOrchestrator, OrchestrationResult } from "@echelon/core";
import type { ExitCode } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { type RunOptions, runOrchestration } from "./run-task.js";

/** Options of `orchestrator.resume`. */
export interface ResumeOptions {
  /** Resume even when the plan changed since the crash (its hash differs). */
  readonly force: boolean;
  /** Cancels the resumed run (Ctrl-C). */
  readonly signal: AbortSignal;
}

/** Continues a journaled run with an orchestrator; `orchestrator.resume(id, options)` by default. */
export type ResumeFunction = (
  orchestrator: HierarchicalOrchestrator,
  orchestrationId: string,
  options: ResumeOptions,
) => Promise<OrchestrationResult>;

/** Calls core's `orchestrator.resume(id, { force, signal })`. */
export const resumeWithCore: ResumeFunction = (orchestrator, orchestrationId, options) =>
  orchestrator.resume(orchestrationId, options);

/**
 * `echelon resume <id>`: continues a journaled run that stopped (a crash, a kill) with the
 * agents of a module, showing progress and the summary as `run` does.
 *
 * @param id - the orchestration id
 * @param options - as `run`'s, plus `force`
 * @param io - streams and working directory
 * @param resume - how to resume (tests pass a stand-in)
 * @returns the exit code for the result
 */
export function resumeRun(
  id: string,
  options: RunOptions & { readonly force?: boolean },
  io: CliIo,
  resume: ResumeFunction = resumeWithCore,
): Promise<ExitCode> {
  return runOrchestration({ ...options, journal: true }, io, (orchestrator, signal) =>
    resume(orchestrator, id, { force: options.force === true, signal }),
  );
}

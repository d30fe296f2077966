/**
 * `@echelon/cli` — the `echelon` command: plan, run and watch hierarchical orchestrations.
 * The command is the package's `bin`; these exports let you embed it or reuse its pieces.
 *
 * @packageDocumentation
 */
export { CliErrorCode } from "./errors.js";
export { ExitCode, exitCodeFor } from "./exit-codes.js";
export type { CliIo } from "./io.js";
export { loadAgents } from "./load-agents.js";
export { formatPlanTree } from "./plan-tree.js";
export { followProgress, type ProgressMode, type TextSink } from "./progress.js";
export { runCli } from "./program.js";
export {
  type DashboardAddress,
  formatRemoteStatus,
  type RemoteCancelOutcome,
  type RemoteStatus,
  remoteCancel,
  remoteStatus,
} from "./remote.js";
export type { ResumeFunction, ResumeOptions } from "./resume-run.js";
export { type RunOptions, runTask } from "./run-task.js";
export { formatSummary } from "./summary.js";

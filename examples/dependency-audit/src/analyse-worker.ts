import type { AgentWork } from "echelon";
import { analysePackage } from "./analyse-package.js";
import type { PackageFacts } from "./facts.js";

/**
 * The function the package analysers' worker threads run (`workers` ≥ 1, through
 * `@echelon/agents-worker`): analyses the package named by the task's input.
 *
 * @param work - the task; `work.input.dir` is the package's directory
 * @param context - the thread's side of the task; its signal aborts the walk
 * @returns the package's facts (plain JSON, so they can leave the thread)
 */
export default function analyseInWorker(
  work: AgentWork,
  context: { readonly signal: AbortSignal },
): PackageFacts {
  return analysePackage((work.input as { dir: string }).dir, context.signal);
}

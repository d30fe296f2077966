import type { AuditDataset, ReviewTally } from "./facts.js";
import type { PolicyReport } from "./licence-policy.js";

/** Everything a rendered report shows. */
export interface ReportContent {
  readonly data: AuditDataset;
  readonly tally: ReviewTally;
  /** ISO date shown in the header. */
  readonly generatedAt: string;
  /** Packages whose analysis failed, with the reason. */
  readonly unreadable: ReadonlyArray<{ readonly dir: string; readonly error: string }>;
  /** The licence policy applied, or `null` when none was given. */
  readonly policy: PolicyReport | null;
  /** Worker threads of the package analysers; 0 when they ran in-process. */
  readonly workers: number;
  /** Worker-host processes (over Redis) of the package analysers; 0 when none. */
  readonly workerHosts: number;
}

/** The formula of the coordination overhead, as the report and the command print it. */
export const OVERHEAD_FORMULA = "100 × (wall − lower bound) / wall";

/**
 * How the audit ran and what its coordination overhead measures, as plain-text paragraphs
 * (the renderers add the markup). The figure itself is printed by the command: it is measured
 * when the run, publishing this report included, has ended.
 *
 * @param workers - worker threads of the package analysers (0 = in-process)
 * @param workerHosts - worker-host processes of the package analysers, over Redis (0 = none)
 * @returns paragraphs
 */
export function measurementNotes(workers: number, workerHosts = 0): string[] {
  const slots = Math.max(1, workers, workerHosts);
  return [
    workerHosts > 0
      ? `The package analysers ran in ${workerHosts} worker-host processes, reached over Redis (BullMQ), so the run had ${workerHosts} leaf slots; the reviewers, the renderer and the publisher ran in-process. A task's busy time includes its round trip through Redis.`
      : workers === 0
        ? "The package analysers ran in-process, one package at a time on the one thread JavaScript gives them, so the run had 1 leaf slot."
        : `The package analysers ran in ${workers} worker threads, so the run had ${workers} leaf slots; the reviewers, the renderer and the publisher ran in-process.`,
    `Coordination overhead = ${OVERHEAD_FORMULA}. The lower bound is the best wall time possible for the agent work measured in this run: ` +
      `the larger of the critical path of agent busy time and the total agent busy time divided by the leaf slots (${slots}). ` +
      (slots === 1
        ? "With one slot, the lower bound is all the agents' work, so the overhead is the share of the wall time spent outside agents: " +
          "planning, dispatching tasks, events, the patterns' own work (the pipeline runs the group stage in-process) and waiting."
        : `The overhead is the share of the wall time the agents' work does not explain: dispatching tasks to the ${workerHosts > 0 ? "hosts" : "threads"}, ` +
          "events, the patterns' own work and waiting (the in-process stages count as if they had every slot, so the bound is a little low)."),
    "The command prints the figure (and --json its parts) once the run, publishing this report included, has ended.",
  ];
}

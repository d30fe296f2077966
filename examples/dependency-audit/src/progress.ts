import type { HierarchicalOrchestrator } from "echelon";
import type { AuditProgress } from "./audit-options.js";

const STAGES = new Set(["discover", "analyse", "group", "review", "render", "publish"]);
const PACKAGE = /^dependency-audit\/analyse\/pkg-(\d+)$/;

/** Progress of one audit, fed by the orchestration's events. */
export interface ProgressTracker {
  /** Reports a stage that starts without a task event of its own (the group processor). */
  stageStarted(stage: string): void;
  /** Listens to the orchestrator's task events: stages starting, packages analysed or not. */
  listen(events: HierarchicalOrchestrator["events"]): void;
}

/**
 * Turns task events into audit progress: a stage starting, a package analysed (or not:
 * `unreadable` gets its index and the error).
 *
 * @param total - packages to analyse, as known so far (0 until the discovery step answered)
 * @param on - listeners
 * @returns the tracker
 */
export function createProgressTracker(
  total: () => number,
  on: {
    readonly progress?: ((progress: AuditProgress) => void) | undefined;
    readonly unreadable: (index: number, error: string) => void;
  },
): ProgressTracker {
  let analysed = 0;
  const stageStarted = (stage: string) =>
    on.progress?.({ kind: "stage", stage, done: analysed, total: total() });
  const packageDone = () => {
    analysed++;
    on.progress?.({ kind: "package", stage: "analyse", done: analysed, total: total() });
  };
  return {
    stageStarted,
    listen(events) {
      events.on("task:started", (e) => {
        const parts = e.nodePath.split("/");
        if (parts.length === 2 && STAGES.has(parts[1]!)) stageStarted(parts[1]!);
      });
      events.on("task:failed", (e) => {
        const at = PACKAGE.exec(e.nodePath);
        if (at === null) return;
        on.unreadable(Number(at[1]), e.error.message);
        packageDone();
      });
      events.on("task:completed", (e) => {
        if (PACKAGE.test(e.nodePath)) packageDone();
      });
    },
  };
}

import type { HierarchicalOrchestrator } from "echelon";
import type { AuditProgress } from "./audit-options.js";

const STAGES = new Set(["analyse", "group", "review", "render", "publish"]);
const PACKAGE = /^dependency-audit\/analyse\/pkg-(\d+)$/;

/**
 * Turns the orchestration's events into audit progress: a stage starting, a package analysed
 * (or not: `onUnreadable` gets its index and the error).
 *
 * @param orchestrator - the audit's orchestrator
 * @param total - packages to analyse
 * @param on - listeners
 * @returns `stageStarted(id)`, for stages that run without a task of their own (the group processor)
 */
export function trackProgress(
  orchestrator: HierarchicalOrchestrator,
  total: number,
  on: {
    readonly progress?: ((progress: AuditProgress) => void) | undefined;
    readonly unreadable: (index: number, error: string) => void;
  },
): { stageStarted(stage: string): void } {
  let analysed = 0;
  const stageStarted = (stage: string) => on.progress?.({ kind: "stage", stage, done: analysed, total });
  const packageDone = () => {
    analysed++;
    on.progress?.({ kind: "package", stage: "analyse", done: analysed, total });
  };
  orchestrator.events.on("task:started", (e) => {
    const parts = e.nodePath.split("/");
    if (parts.length === 2 && STAGES.has(parts[1]!)) stageStarted(parts[1]!);
  });
  orchestrator.events.on("task:failed", (e) => {
    const at = PACKAGE.exec(e.nodePath);
    if (at === null) return;
    on.unreadable(Number(at[1]), e.error.message);
    packageDone();
  });
  orchestrator.events.on("task:completed", (e) => {
    if (PACKAGE.test(e.nodePath)) packageDone();
  });
  return { stageStarted };
}

import {
  applyRunEvent,
  createRunState,
  type DepthProgress,
  type EchelonEvent,
  type EventBus,
  type RunState,
  runProgress,
} from "@echelon/core";
import cliProgress from "cli-progress";

/** How progress is shown: bars on a terminal, plain lines, or nothing. */
export type ProgressMode = "bars" | "lines" | "none";

/** Something text can be written to (a stream). */
export interface TextSink {
  /** Writes text as it is (no newline added). */
  write(text: string): unknown;
}

const ENDED = new Set(["orchestration:completed", "orchestration:failed", "orchestration:cancelled"]);

/** Tasks of one depth that are over, however they ended. */
function finished(d: DepthProgress): number {
  return d.done + d.cancelled;
}

/**
 * Follows an orchestrator's events and shows progress, read from core's run-state fold (the
 * same one behind `getOrchestrationStatus`): per-level bars (done/total, failures, ETA) with
 * `bars`; with `lines`, one line per composite start, per failure and per tenth of the tasks
 * done. Totals grow when invocations appear; a failed or cancelled run's bars stop where the
 * work stopped (they do not jump to 100 %).
 *
 * @param events - the orchestrator's bus
 * @param levels - level names, primary first
 * @param mode - bars, lines or none
 * @param out - where to write (stderr by default in the CLI)
 * @returns a function that stops following and clears the bars
 */
export function followProgress(
  events: EventBus,
  levels: readonly string[],
  mode: ProgressMode,
  out: TextSink,
): () => void {
  if (mode === "none") return () => {};
  let state: RunState | null = null;
  let lastTenth = -1;
  let multibar: cliProgress.MultiBar | null = null;
  const bars: cliProgress.SingleBar[] = [];
  const levelName = (depth: number) => levels[depth] ?? `level ${depth}`;

  const start = (e: EchelonEvent<"orchestration:started">, s: RunState) => {
    const total = s.totalTasks;
    if (mode === "bars") {
      multibar = new cliProgress.MultiBar(
        {
          format: " {level} |{bar}| {value}/{total} done, {failed} failed | ETA {eta_formatted}",
          hideCursor: true,
          clearOnComplete: false,
          stream: out as NodeJS.WritableStream,
        },
        cliProgress.Presets.shades_classic,
      );
      s.depths.forEach((d, depth) => {
        bars[depth] = multibar!.create(d.total, 0, { level: levelName(depth).padEnd(10), failed: 0 });
      });
    } else {
      out.write(`started ${e.orchestrationId}: ${total} tasks over ${s.depths.length} level(s)\n`);
    }
  };

  const render = (e: EchelonEvent, s: RunState) => {
    if (mode === "bars") {
      s.depths.forEach((d, depth) => {
        const bar = bars[depth];
        if (bar === undefined) return;
        if (bar.getTotal() !== d.total) bar.setTotal(d.total);
        bar.update(finished(d), { failed: d.failed + d.cancelled });
      });
      return;
    }
    if (e.type === "pattern:started")
      out.write(`${e.pattern} started at ${e.nodePath} (${e.children} children)\n`);
    if (e.type === "plan:expanded")
      out.write(`plan grew at ${e.nodePath}: ${e.tasks} more tasks (${s.totalTasks} in all)\n`);
    if (e.type === "task:failed" && e.kind !== "compensation") out.write(`failed ${e.nodePath}\n`);
    if (e.type === "task:cancelled" && e.kind !== "compensation") out.write(`cancelled ${e.nodePath}\n`);
    const settles = e.type === "task:completed" || e.type === "task:failed" || e.type === "task:skipped";
    if (!settles && !ENDED.has(e.type)) return;
    const tenth = Math.floor(runProgress(s) / 10);
    if (tenth === lastTenth && !ENDED.has(e.type)) return;
    lastTenth = tenth;
    const done = s.depths.reduce((n, d) => n + finished(d), 0);
    const levelText = s.depths.map((d, i) => `${levelName(i)} ${finished(d)}/${d.total}`).join(", ");
    if (ENDED.has(e.type)) out.write(`${s.state}: ${done}/${s.totalTasks} (${levelText})\n`);
    else out.write(`progress ${done}/${s.totalTasks} (${levelText})\n`);
  };

  const off = events.onAny((e) => {
    if (e.type === "orchestration:started") {
      if (state !== null) return;
      state = createRunState(e.orchestrationId);
      applyRunEvent(state, e);
      start(e, state);
      return;
    }
    if (state === null || e.orchestrationId !== state.orchestrationId) return;
    applyRunEvent(state, e);
    render(e, state);
  });
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    off();
    (multibar as cliProgress.MultiBar | null)?.stop();
  };
}

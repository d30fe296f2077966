import type { EventBus, PlanNode } from "@echelon/core";
import cliProgress from "cli-progress";

/** How progress is shown: bars on a terminal, plain lines, or nothing. */
export type ProgressMode = "bars" | "lines" | "none";

/** Something text can be written to (a stream). */
export interface TextSink {
  /** Writes text as it is (no newline added). */
  write(text: string): unknown;
}

interface Counts {
  total: number;
  done: number;
  failed: number;
}

function countByDepth(root: PlanNode): number[] {
  const counts: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    counts[node.depth] = (counts[node.depth] ?? 0) + 1;
    stack.push(...node.children);
  }
  return counts;
}

/**
 * Follows an orchestrator's events and shows progress: per-level bars (done/total, failures,
 * ETA) with `bars`; with `lines`, one line per composite start and end, per failure and per
 * tenth of the tasks done.
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
  const perDepth: Counts[] = [];
  const seen = new Set<string>();
  let total = 0;
  let finished = 0;
  let lastTenth = -1;
  let multibar: cliProgress.MultiBar | null = null;
  const bars: cliProgress.SingleBar[] = [];
  const offs: Array<() => void> = [];

  offs.push(
    events.on("orchestration:started", (e) => {
      const counts = countByDepth(e.plan.root);
      total = counts.reduce((s, n) => s + n, 0);
      counts.forEach((n, depth) => {
        perDepth[depth] = { total: n, done: 0, failed: 0 };
      });
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
        counts.forEach((n, depth) => {
          bars[depth] = multibar!.create(n, 0, {
            level: (levels[depth] ?? `level ${depth}`).padEnd(10),
            failed: 0,
          });
        });
      } else {
        out.write(`started ${e.orchestrationId}: ${total} tasks over ${counts.length} level(s)\n`);
      }
    }),
  );

  const settle = (nodePath: string, kind: string, failed: boolean, what: string) => {
    if (kind === "compensation" || nodePath.includes("#") || seen.has(nodePath)) return;
    seen.add(nodePath);
    const depth = nodePath.split("/").length - 1;
    const c = perDepth[depth];
    if (c === undefined || c.done >= c.total) return;
    c.done++;
    finished++;
    if (failed) c.failed++;
    if (mode === "bars") {
      bars[depth]?.update(c.done, { failed: c.failed });
      return;
    }
    if (failed) out.write(`${what} ${nodePath}\n`);
    const tenth = total === 0 ? 10 : Math.floor((10 * finished) / total);
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      const levelText = perDepth.map((p, i) => `${levels[i] ?? i} ${p.done}/${p.total}`).join(", ");
      out.write(`progress ${finished}/${total} (${levelText})\n`);
    }
  };
  offs.push(
    events.on("task:completed", (e) => settle(e.nodePath, e.kind, false, "completed")),
    events.on("task:failed", (e) => settle(e.nodePath, e.kind, true, "failed")),
    events.on("task:cancelled", (e) => settle(e.nodePath, e.kind, true, "cancelled")),
    events.on("task:skipped", (e) => settle(e.nodePath, "skipped", false, "skipped")),
  );
  if (mode === "lines") {
    offs.push(
      events.on("pattern:started", (e) => {
        out.write(`${e.pattern} started at ${e.nodePath} (${e.children} children)\n`);
      }),
    );
  }
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const off of offs) off();
    (multibar as cliProgress.MultiBar | null)?.stop();
  };
}

import type { CaseResult } from "../run-suite.js";
import { caseTable } from "./tables.js";

const WRITES: [string, string][] = [
  ["transactions", "transactions (fsyncs with FULL)"],
  ["eventsWritten", "events written"],
  ["dbBytes", "file bytes"],
  ["bytesPerLeaf", "bytes / leaf"],
];

const TEXT: Readonly<Record<string, [string, string]>> = {
  journal: [
    "W1 with a durable journal",
    "W1's no-op leaves, timed until the last event is committed. `memory` is core's in-memory store (the baseline); `sqlite-normal` and `sqlite-full` are `SqliteEventStore` with `synchronous` NORMAL (the default) and FULL, a new file per iteration. Writes are batched: one transaction per turn of the event loop or per batch, so a run pays a transaction per hundred leaves, not one per event. Goal (issue 13): `sqlite-normal` within 1.5× `memory` at 10,000 leaves.",
  ],
  resume: [
    "Cold resume of a crashed run",
    "A W1 run journaled by another process, cut with all leaves but one done. Each child opens the SQLite file, reads and folds the journal, runs the last leaf and finishes: one measured iteration, no warm-up, so every figure is a fresh process's first resume. Goal (issue 13): under 200 ms at 10,000 leaves.",
  ],
};

/**
 * The report's section on the durable journal: the `journal@N` cases (the journal's cost
 * against the in-memory store, transactions, file size) and the `resume@N` case (cold resume).
 *
 * @param cases - every measured case
 * @returns Markdown lines (none when no journal case ran)
 */
export function journalSection(cases: readonly CaseResult[]): string[] {
  const measured = cases.filter((c) => c.spec.workload === "journal" || c.spec.workload === "resume");
  if (measured.length === 0) return [];
  const lines = ["## Durable journal (SQLite)", ""];
  for (const r of measured) {
    const [title, text] = TEXT[r.spec.workload] ?? [r.spec.key, ""];
    const { spec } = r;
    lines.push(
      `### ${title} — ${spec.key}`,
      "",
      text,
      "",
      `Size ${spec.sizeLabel ?? spec.size.toLocaleString("en-US")}; ${spec.runs} child process(es) per variant, each ${spec.warmup} warm-up + ${spec.reps} measured iteration(s).`,
      "",
      caseTable(r, spec.workload === "journal" ? WRITES : [], spec.workload === "journal"),
      "",
    );
  }
  return lines;
}

import type { SkippedCase } from "../bench-redis.js";
import type { CaseResult } from "../run-suite.js";
import { caseTable } from "./tables.js";

const COMMANDS: [string, string][] = [
  ["redisCommandsPerTask", "commands run / task"],
  ["redisCommandsTop", "top (incl. inside Lua)"],
];

const ROUND_TRIPS: [string, string][] = [
  ["roundTripsPerTask", "round trips / task"],
  ["roundTripsTop", "top round trips / task"],
  ["redisCommandsPerTask", "commands run / task"],
];

const TEXT: Readonly<Record<string, [string, string]>> = {
  "remote-noop": [
    "W1 over BullMQ — no-op tasks through two worker-host processes",
    "Both variants use one local `redis-server` (started by the bench, no persistence) and two worker processes running 50 jobs at once each. `bullmq` adds every job at once (`queue.add`, the same job options as Echelon's: `attempts: 1`, finished jobs kept an hour) and counts completions through `QueueEvents`; its workers are raw BullMQ `Worker`s. `echelon` runs a map-reduce over `remoteAgent` with at most 200 jobs in flight (twice the hosts' slots, so hosts never wait for the orchestrator; raw BullMQ has all of them queued) with `startWorkerHost` processes, whose function agent takes the job's `ctx.signal` only for the timer body (the raw workers get no signal; the no-op body ignores it). *commands run / task* counts what Redis executed for every client (`INFO commandstats` before and after, including the commands inside BullMQ's Lua scripts): producer, blocking fetches, lock renewals, event readers.",
  ],
  "remote-timers": [
    "W2 over BullMQ — 1,000 × a 10 ms timer on 100 slots",
    "The same set-up with each task a real, cancellable 10 ms timer: 2 processes × 50 slots, so the ideal is 100 ms plus Redis.",
  ],
  "remote-roundtrips": [
    "Redis round trips per task",
    "The W1 set-up on 1,000 tasks with a side connection in `MONITOR`, counting the commands clients send (round trips; a pipeline of n commands counts n) apart from those BullMQ's Lua scripts run inside Redis. MONITOR slows Redis, so this case's times are not comparable; its counts are what it is for.",
  ],
  "remote-cpu": [
    "CPU-heavy map over BullMQ — two worker hosts against one",
    "Each task chains SHA-256 over its seed (checked against a local computation); each host runs one task at a time. On a two-core machine the orchestrator and Redis share the cores with the hosts, so the ideal ratio 0.5 is out of reach.",
  ],
};

/**
 * The report's section on remote agents over BullMQ: one table per remote case, and the cases
 * skipped for want of Redis with the reason.
 *
 * @param cases - every measured case
 * @param skipped - the cases left out
 * @returns Markdown lines
 */
export function remoteSection(cases: readonly CaseResult[], skipped: readonly SkippedCase[] = []): string[] {
  const remote = cases.filter((c) => c.spec.workload === "remote");
  if (remote.length === 0 && skipped.length === 0) return [];
  const lines = ["## Remote agents over BullMQ (Redis)", ""];
  for (const s of skipped) lines.push(`- **${s.key} skipped**: ${s.reason}`);
  if (skipped.length > 0)
    lines.push("", "Install `redis-server` (Debian: `apt-get install redis-server`) to measure them.", "");
  for (const r of remote) {
    const [title, text] = TEXT[r.spec.key] ?? [r.spec.key, ""];
    lines.push(
      `### ${title}`,
      "",
      text,
      "",
      `Size ${r.spec.sizeLabel ?? r.spec.size.toLocaleString("en-US")}; ${r.spec.runs} child process(es) per variant, each ${r.spec.warmup} warm-up + ${r.spec.reps} measured iteration(s).`,
      "",
      caseTable(r, r.spec.key === "remote-roundtrips" ? ROUND_TRIPS : COMMANDS, r.spec.key === "remote-noop"),
      "",
    );
  }
  return lines;
}

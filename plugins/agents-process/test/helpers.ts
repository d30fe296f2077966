import { existsSync, readFileSync } from "node:fs";
import type { AgentContext, AgentWork } from "@echelon/core";
import { silentLogger } from "@echelon/core";
import { expect } from "vitest";

/** A work item as the hierarchy would hand it to an agent. */
export function work(input: unknown, taskId = "t1"): AgentWork {
  return {
    taskId,
    nodePath: `root/${taskId}`,
    description: `task ${taskId}`,
    input,
    capabilities: [],
    priority: 0,
    metadata: {},
  };
}

/** A context as the hierarchy would build it, recording reports. */
export function context(
  signal: AbortSignal = new AbortController().signal,
  attempt = 1,
  onReport: (progress: number, message?: string) => void = () => {},
): AgentContext {
  return {
    signal,
    attempt,
    idempotencyKey: "orch-1/root/t1",
    orchestrationId: "orch-1",
    level: "secondary",
    report: onReport,
    logger: silentLogger,
  };
}

/**
 * True while process `pid` is running. A zombie counts as gone: a grandchild killed after
 * its parent died is re-parented to PID 1, which may never reap it (it does not on our
 * CI machines). Reads `/proc` where there is one, else probes with signal 0.
 */
export function isRunning(pid: number): boolean {
  if (existsSync("/proc/self/stat")) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
    } catch {
      return false; // no such process
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` (every 10 ms, up to 10 s): for waiting on another process. */
export async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/** Waits until `file` holds a process id and returns it. */
export async function pidFrom(file: string): Promise<number> {
  await until(() => existsSync(file) && /^\d+\s*$/.test(readFileSync(file, "utf8")));
  return Number(readFileSync(file, "utf8"));
}

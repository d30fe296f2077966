import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OrchestrationStatus } from "echelon";

const temps: string[] = [];

/** A new temporary folder, removed by {@link removeTempDirs}. */
export async function tempDir(prefix = "fan-out-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Removes the folders {@link tempDir} made (call it in `afterEach`). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** Every task counted once, whatever its state: equals `totalTasks` at every moment. */
export const taskCountSum = (s: OrchestrationStatus): number =>
  s.pendingTasks +
  s.runningTasks +
  s.completedTasks +
  s.failedTasks +
  s.cancelledTasks +
  s.skippedTasks +
  s.compensatedTasks;

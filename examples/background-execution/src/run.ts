import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { BackgroundAgentExecutor, type BackgroundStatus } from "@echelon/background";
import { functionAgent, createOrchestrator, type TaskSpec } from "echelon";

/** A task that counts the lines of every `.d.ts` file of a package (MapReduce, summed). */
export async function lineCountSpec(packageDir: string): Promise<TaskSpec> {
  const entries = await readdir(packageDir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && e.name.endsWith(".d.ts"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return {
    description: `count declaration lines of ${packageDir.split("/").pop()}`,
    pattern: "mapreduce",
    patternOptions: { reducer: "sum" },
    children: files.map((file, i) => ({
      id: `f${i}`,
      description: `count ${file}`,
      input: file,
      capabilities: ["count-lines"],
    })),
  };
}

/** What happened to each background run, and the order the executor told us about it. */
export interface BackgroundReport {
  readonly finals: Record<string, BackgroundStatus>;
  readonly events: readonly string[];
}

/**
 * Runs one orchestration per package in the background, two at a time: the third is paused
 * while still queued and resumed later, the fourth is terminated, the rest complete.
 *
 * @param packageDirs - at least four package folders
 * @returns the final status of every run and the events seen
 */
export async function runInBackground(packageDirs: readonly string[]): Promise<BackgroundReport> {
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [4, 4],
    agents: [
      functionAgent(
        { name: "line-counter", capabilities: ["count-lines"], capacity: 2 },
        async (work) => (await readFile(String(work.input), "utf8")).split("\n").length,
      ),
    ],
  });
  const executor = new BackgroundAgentExecutor({ maxParallel: 2, orchestrator });
  const events: string[] = [];
  for (const name of [
    "background:queued",
    "background:started",
    "background:paused",
    "background:resumed",
    "background:completed",
    "background:terminated",
    "background:failed",
  ] as const) {
    executor.on(name, (status) => events.push(`${name.replace("background:", "")} ${status.id}`));
  }
  try {
    const specs = await Promise.all(packageDirs.map(lineCountSpec));
    const ids = specs.map((spec, i) =>
      executor.spawnBackgroundAgent({ id: `job-${i}`, orchestration: spec }),
    );
    executor.pauseAgent(ids[2]!); // still queued: it will not start until resumed
    await executor.terminateAgent(ids[3]!); // queued or running: it ends `terminated`
    await executor.waitForAgent(ids[0]!);
    executor.resumeAgent(ids[2]!);
    const finals: Record<string, BackgroundStatus> = {};
    for (const id of ids) finals[id] = await executor.waitForAgent(id);
    return { finals, events };
  } finally {
    await executor.shutdown();
    await orchestrator.shutdown();
  }
}

import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  functionAgent,
  createOrchestrator,
  type OrchestrationResult,
  type OrchestrationStatus,
  type TaskSpec,
} from "echelon";

/** Every file under `dir` (nested node_modules excluded), sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !join(e.parentPath, e.name).includes("/node_modules/", dir.length))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A fingerprint task per package: hash every file (MapReduce), folded into one digest. */
export async function fingerprintSpec(packageDir: string, id: string): Promise<TaskSpec> {
  const files = await listFiles(packageDir);
  return {
    id,
    description: `fingerprint ${packageDir}`,
    pattern: "mapreduce",
    patternOptions: { reducer: "concat" },
    children: files.map((file, i) => ({
      id: `f${i}`,
      description: `hash ${relative(packageDir, file)}`,
      input: file,
      capabilities: ["sha256"],
    })),
  };
}

/** What {@link runConcurrently} reports per orchestration. */
export interface RunReport {
  readonly id: string;
  readonly result: OrchestrationResult;
  /** The status seen while it ran (taken when the first one finished). */
  readonly statusWhileRunning: OrchestrationStatus;
}

/**
 * Runs one fingerprint orchestration per package at once on one orchestrator: they share the
 * agent pool, and each keeps its own status, result and cancellation — `cancelId` is cancelled
 * as soon as its first file is hashed, and the others are not disturbed.
 *
 * @returns one report per package, in order
 */
export async function runConcurrently(
  packageDirs: readonly string[],
  cancelId?: string,
): Promise<RunReport[]> {
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [8, 6],
    agents: [
      functionAgent({ name: "hasher", capabilities: ["sha256"], capacity: 2 }, async (work) =>
        createHash("sha256")
          .update(await readFile(String(work.input)))
          .digest("hex"),
      ),
    ],
  });
  const ids = packageDirs.map((_, i) => `run-${i}`);
  const snapshots = new Map<string, OrchestrationStatus>();
  let cancelled = false;
  orchestrator.events.on("task:completed", (e) => {
    if (!cancelled && e.orchestrationId === cancelId && e.kind === "leaf") {
      cancelled = true;
      orchestrator.cancelOrchestration(cancelId);
    }
  });
  try {
    const specs = await Promise.all(packageDirs.map((dir, i) => fingerprintSpec(dir, `package-${i}`)));
    const runs = specs.map((spec, i) =>
      orchestrator.orchestrateComplexTask(spec, { orchestrationId: ids[i]! }).then((result) => {
        // The first to finish takes a snapshot of everyone: they were all in flight together.
        if (snapshots.size === 0)
          for (const id of ids) snapshots.set(id, orchestrator.getOrchestrationStatus(id));
        return result;
      }),
    );
    const results = await Promise.all(runs);
    return results.map((result, i) => ({ id: ids[i]!, result, statusWhileRunning: snapshots.get(ids[i]!)! }));
  } finally {
    await orchestrator.shutdown();
  }
}

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { createMonitor, type EnrichedOrchestrationStatus } from "@echelon/monitoring";
import { functionAgent, createOrchestrator, type OrchestrationResult, type TaskSpec } from "echelon";

/** Package folders in pnpm's store (`node_modules/.pnpm/<id>`), sorted. */
export async function storeEntries(root: string, limit?: number): Promise<string[]> {
  const store = join(root, "node_modules", ".pnpm");
  const ids = (await readdir(store, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && d.name !== "node_modules" && !d.name.startsWith("."))
    .map((d) => d.name)
    .sort();
  return ids.slice(0, limit).map((id) => join(store, id));
}

async function hashTree(
  dir: string,
  signal: AbortSignal,
): Promise<{ files: number; bytes: number; sha256: string }> {
  const entries = (await readdir(dir, { withFileTypes: true, recursive: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const tree = createHash("sha256");
  let bytes = 0;
  for (const file of entries) {
    signal.throwIfAborted();
    const h = createHash("sha256");
    for await (const chunk of createReadStream(file, { signal })) {
      h.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
    tree.update(`${file.slice(dir.length)}\0${h.digest("hex")}\n`);
  }
  return { files: entries.length, bytes, sha256: tree.digest("hex") };
}

/** One status sample taken while the run was going. */
export interface Sample {
  readonly atMs: number;
  readonly state: string;
  readonly progress: number;
  readonly completed: number;
  readonly running: number;
  readonly etaMs: number | null;
  readonly throughputPerSec: number;
}

/**
 * A long run — hashing every file of every installed package, one task per package — watched
 * two ways while it goes: the orchestrator's own `getOrchestrationStatus(id)` and the
 * monitoring package's enriched status (ETA, throughput), sampled every `everyMs`.
 *
 * @returns the result and the samples
 */
export async function watchLongRun(
  root: string,
  options: { limit?: number; everyMs?: number; onSample?: (s: Sample) => void } = {},
): Promise<{ result: OrchestrationResult; samples: Sample[] }> {
  const dirs = await storeEntries(root, options.limit);
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    maxAgentsPerLevel: [1, 4],
    agents: [
      functionAgent({ name: "tree-hasher", capabilities: ["hash-tree"] }, (w, ctx) =>
        hashTree(String(w.input), ctx.signal),
      ),
    ],
  });
  const monitor = createMonitor({ orchestrator });
  const id = "hash-the-store";
  const spec: TaskSpec = {
    id,
    description: "Hash every installed package",
    pattern: "mapreduce",
    patternOptions: { reducer: "concat", chunkSize: 1 },
    children: dirs.map((dir, i) => ({
      id: `p${i}`,
      description: `hash ${dir}`,
      input: dir,
      capabilities: ["hash-tree"],
    })),
  };
  const samples: Sample[] = [];
  const t0 = performance.now();
  const sample = () => {
    if (!orchestrator.hasOrchestration(id)) return;
    const core = orchestrator.getOrchestrationStatus(id);
    let rich: EnrichedOrchestrationStatus | null = null;
    try {
      rich = monitor.getOrchestrationStatus(id);
    } catch {
      rich = null; // the monitor has not seen the start event yet
    }
    const s: Sample = {
      atMs: Math.round(performance.now() - t0),
      state: core.state,
      progress: core.progress,
      completed: core.completedTasks,
      running: core.runningTasks,
      etaMs: rich?.etaMs ?? null,
      throughputPerSec: rich?.throughputPerSec ?? 0,
    };
    samples.push(s);
    options.onSample?.(s);
  };
  // Polling is the subject of this example: the timer samples status, it does no work.
  const timer = setInterval(sample, options.everyMs ?? 250);
  try {
    const result = await orchestrator.orchestrateComplexTask(spec, { orchestrationId: id });
    sample();
    return { result, samples };
  } finally {
    clearInterval(timer);
    monitor.close();
    await orchestrator.shutdown();
  }
}

import { createHash, randomBytes } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { functionAgent, createOrchestrator, type OrchestrationResult, type TaskSpec } from "echelon";

/** Steps of the saga, in order. */
export const STEPS = ["stage", "index", "publish"] as const;
/** A step name. */
export type Step = (typeof STEPS)[number];

/** Options of {@link publishFiles}. */
export interface PublishOptions {
  /** Files to publish (copied, never moved). */
  readonly files: readonly string[];
  /** Folder that receives `docs/` (and the temporary staging folder). */
  readonly outDir: string;
  /** Make this step fail on purpose, to watch the completed steps being compensated. */
  readonly failAt?: Step;
}

const forced = (step: Step, failAt: Step | undefined) => {
  if (step === failAt) throw new Error(`forced failure at step "${step}" (failAt option)`);
};

/**
 * Publishes files as `outDir/docs` with a Saga: stage (copy into a staging folder), index (write
 * checksums), publish (rename into place; fails if `docs` exists). When a step fails, the
 * completed steps are undone in reverse order by their compensating tasks: the index is
 * deleted, then the staging folder is removed.
 *
 * @returns the measured result
 */
export async function publishFiles(options: PublishOptions): Promise<OrchestrationResult> {
  const { outDir, failAt } = options;
  const staging = join(outDir, `.staging-${randomBytes(4).toString("hex")}`);
  const orchestrator = createOrchestrator({
    maxDepth: 1,
    agents: [
      functionAgent({ name: "stager", capabilities: ["fs:stage"] }, async (work) => {
        await mkdir(staging, { recursive: true });
        const files = work.input as string[];
        const names = files.map((f, i) => `${i}-${basename(join(f, ".."))}-${basename(f)}`);
        await Promise.all(files.map((f, i) => copyFile(f, join(staging, names[i]!))));
        forced("stage", failAt);
        return { staging, files: names };
      }),
      functionAgent({ name: "indexer", capabilities: ["fs:index"] }, async () => {
        const names = (await readdir(staging)).sort();
        const entries = await Promise.all(
          names.map(async (n) => ({
            file: n,
            sha256: createHash("sha256")
              .update(await readFile(join(staging, n)))
              .digest("hex"),
          })),
        );
        await writeFile(join(staging, "index.json"), `${JSON.stringify(entries, null, 2)}\n`);
        forced("index", failAt);
        return { index: join(staging, "index.json"), files: entries.length };
      }),
      functionAgent({ name: "publisher", capabilities: ["fs:publish"] }, async () => {
        forced("publish", failAt);
        const target = join(outDir, "docs");
        if (
          await stat(target).then(
            () => true,
            () => false,
          )
        ) {
          throw new Error(`${target} already exists; remove it or choose another folder.`);
        }
        await rename(staging, target);
        return { published: target };
      }),
      functionAgent({ name: "cleaner", capabilities: ["fs:remove"] }, async (work) => {
        const { output } = work.input as { output: { staging?: string; index?: string } };
        const path = output.index ?? output.staging!;
        await rm(path, { recursive: true, force: true });
        return { removed: path };
      }),
    ],
  });
  const spec: TaskSpec = {
    id: "publish-files",
    description: "Publish files atomically",
    pattern: "saga",
    children: [
      {
        id: "stage",
        description: "copy the files into a staging folder",
        input: [...options.files],
        capabilities: ["fs:stage"],
        compensate: { description: "remove the staging folder", capabilities: ["fs:remove"] },
      },
      {
        id: "index",
        description: "write the checksums",
        capabilities: ["fs:index"],
        compensate: { description: "delete the index", capabilities: ["fs:remove"] },
      },
      { id: "publish", description: "rename the staging folder into place", capabilities: ["fs:publish"] },
    ],
  };
  try {
    return await orchestrator.orchestrateComplexTask(spec);
  } finally {
    await orchestrator.shutdown();
  }
}

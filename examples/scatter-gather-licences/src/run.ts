import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { functionAgent, createOrchestrator, type OrchestrationResult, type TaskSpec } from "echelon";
import { manifestAnalyser, phraseAnalyser, readLicenceFile, titleAnalyser } from "./analysers.js";

/** Installed packages (pnpm layout) that ship a LICENSE file, sorted by folder, at most `limit`. */
export async function packagesWithLicence(root: string, limit: number): Promise<string[]> {
  const store = join(root, "node_modules", ".pnpm");
  const found: string[] = [];
  for (const id of (await readdir(store)).sort()) {
    const name = id.startsWith("@")
      ? id.split("@").slice(0, 2).join("@").replace("+", "/")
      : id.split("@")[0]!;
    const dir = join(store, id, "node_modules", name);
    const isDir = await lstat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDir && (await readLicenceFile(dir)) !== null) found.push(dir);
    if (found.length >= limit) break;
  }
  return found;
}

/** The verdict on one package: the majority's licence, or why there was none. */
export interface Verdict {
  readonly package: string;
  /** The licence the majority agreed on, or `null`. */
  readonly licence: string | null;
  /** The answers that arrived before the majority decided (the others were aborted). */
  readonly answers: Record<string, string>;
  /** Why no majority was reached, or `null`. */
  readonly error: string | null;
}

/**
 * For every package, three independent analysers (manifest, licence title, licence phrases)
 * answer at once and the majority decides (Scatter-Gather, `gather: majority`); all packages
 * run in parallel under a MapReduce that keeps going past undecided ones.
 *
 * @param dirs - package folders
 * @returns the measured result and a verdict per package
 */
export async function voteOnLicences(
  dirs: readonly string[],
): Promise<{ result: OrchestrationResult; verdicts: Verdict[] }> {
  const analysers = { manifest: manifestAnalyser, title: titleAnalyser, phrases: phraseAnalyser };
  const orchestrator = createOrchestrator({
    maxDepth: 2,
    maxAgentsPerLevel: [1, 8, 12],
    agents: Object.entries(analysers).map(([name, analyse]) =>
      functionAgent({ name, capabilities: [`licence:${name}`], capacity: 4 }, (work) =>
        analyse(String(work.input)),
      ),
    ),
  });
  const spec: TaskSpec = {
    id: "licences",
    description: "Vote on the licence of each package",
    pattern: "mapreduce",
    patternOptions: { reducer: "concat", onError: "continue" },
    children: dirs.map((dir, i) => ({
      id: `p${i}`,
      description: `licence of ${dir.split("/node_modules/").pop()}`,
      pattern: "scatter-gather",
      patternOptions: { gather: "majority" },
      children: Object.keys(analysers).map((name) => ({
        id: name,
        description: `${name} analyser`,
        input: dir,
        capabilities: [`licence:${name}`],
      })),
    })),
  };
  const verdicts: Verdict[] = dirs.map((dir) => ({
    package: dir.split("/node_modules/").pop()!,
    licence: null,
    answers: {},
    error: null,
  }));
  const index = (path: string) => (/^licences\/p(\d+)$/.exec(path) ? Number(path.split("/p")[1]) : -1);
  orchestrator.events.on("task:completed", (e) => {
    const i = index(e.nodePath);
    if (i < 0) return;
    const out = e.output as { value: string; answers: Array<{ respondent: string; output: string }> };
    verdicts[i] = {
      ...verdicts[i]!,
      licence: out.value,
      answers: Object.fromEntries(out.answers.map((a) => [a.respondent, a.output])),
    };
  });
  orchestrator.events.on("task:failed", (e) => {
    const i = index(e.nodePath);
    if (i >= 0) verdicts[i] = { ...verdicts[i]!, error: `${e.error.code}: ${e.error.message}` };
  });
  try {
    const result = await orchestrator.orchestrateComplexTask(spec);
    return { result, verdicts };
  } finally {
    await orchestrator.shutdown();
  }
}

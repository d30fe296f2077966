import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import {
  functionAgent,
  createOrchestrator,
  type OrchestrationResult,
  pipelinePattern,
  type TaskSpec,
} from "echelon";
import { type Entry, parseDiagnostics, summarise, validateEntries } from "./diagnostics.js";

/** Where TypeScript keeps its translated diagnostics (`<lib>/<language>/diagnosticMessages.generated.json`). */
export function typescriptLib(): string {
  return dirname(createRequire(import.meta.url).resolve("typescript/lib/typescript.js"));
}

/** Languages TypeScript ships translations for. */
export async function availableLanguages(lib = typescriptLib()): Promise<string[]> {
  const names = await readdir(lib, { withFileTypes: true });
  return names
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** What one language's pipeline stores. */
export interface LanguageReport {
  readonly language: string;
  readonly messages: number;
  readonly issues: ReadonlyArray<{ key: string; problem: string }>;
  readonly byRange: Record<string, { messages: number; meanLength: number }>;
}

/**
 * One pipeline per language — read the file, parse it (an in-process stage processor), validate
 * the placeholders, transform into per-range figures, store as JSON — all languages at once
 * under a MapReduce.
 *
 * @param languages - language folders to process
 * @param outDir - where the reports are stored
 * @returns the measured result; `result.result` lists what each pipeline stored
 */
export async function checkTranslations(
  languages: readonly string[],
  outDir: string,
): Promise<OrchestrationResult> {
  const lib = typescriptLib();
  const pipeline = pipelinePattern({
    processors: { "parse-json": (text) => parseDiagnostics(String(text)) },
  });
  const orchestrator = createOrchestrator({
    maxDepth: 2,
    maxAgentsPerLevel: [1, 4, 8],
    plugins: [pipeline],
    agents: [
      functionAgent({ name: "reader", capabilities: ["read"] }, (work) =>
        readFile(join(lib, String(work.input), "diagnosticMessages.generated.json"), "utf8"),
      ),
      functionAgent({ name: "validator", capabilities: ["validate"] }, (work) => {
        const entries = work.input as Entry[];
        return { entries, issues: validateEntries(entries) };
      }),
      functionAgent({ name: "transformer", capabilities: ["transform"] }, (work) => {
        const { entries, issues } = work.input as { entries: Entry[]; issues: LanguageReport["issues"] };
        return {
          language: String(work.metadata.language),
          messages: entries.length,
          issues,
          byRange: summarise(entries),
        };
      }),
      functionAgent({ name: "store", capabilities: ["store"] }, async (work) => {
        const report = work.input as LanguageReport;
        await mkdir(outDir, { recursive: true });
        const path = join(outDir, `${report.language}.json`);
        await writeFile(`${path}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
        await rename(`${path}.tmp`, path);
        return { language: report.language, messages: report.messages, issues: report.issues.length, path };
      }),
    ],
  });
  const spec: TaskSpec = {
    id: "translations",
    description: "Check TypeScript's translated diagnostics",
    pattern: "mapreduce",
    patternOptions: { reducer: "concat" },
    children: languages.map((language) => ({
      id: language,
      description: `check the ${language} translation`,
      pattern: "pipeline",
      input: language,
      children: [
        { id: "read", description: "read the file", capabilities: ["read"] },
        { id: "parse", description: "parse the JSON", metadata: { processor: "parse-json" } },
        { id: "validate", description: "validate placeholders", capabilities: ["validate"] },
        {
          id: "transform",
          description: "figures per code range",
          capabilities: ["transform"],
          metadata: { language },
        },
        { id: "store", description: "store the report", capabilities: ["store"] },
      ],
    })),
  };
  try {
    return await orchestrator.orchestrateComplexTask(spec);
  } finally {
    await orchestrator.shutdown();
  }
}

/** Default output folder. */
export const DEFAULT_OUT = resolve("out");

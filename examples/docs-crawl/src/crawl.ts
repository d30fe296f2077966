import { existsSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve } from "node:path";
import {
  createOrchestrator,
  EchelonError,
  type EventStore,
  functionAgent,
  type OrchestrationResult,
  type TaskSpec,
} from "echelon";
import { DocsCrawlErrorCode } from "./errors.js";
import { docsFrontierPlugin, FRONTIER } from "./frontier.js";
import { type PageFacts, readPage } from "./page.js";

/** Options of {@link crawlDocs}. */
export interface CrawlOptions {
  /** The docs folder. */
  readonly docsDir: string;
  /** The page to start from, relative to `docsDir`. */
  readonly start: string;
  /** Links followed from the start page (0 reads the start page only). Default 3; 0 to 20. */
  readonly maxDepth?: number;
  /** Most pages one level reads (1 to 10,000). Default 25. */
  readonly maxPagesPerLevel?: number;
  /** Most agents reading pages at once, the cap of the level they run at (1 to 64). Default 4. */
  readonly maxAgentsPerLevel?: number;
  /** Where the run is journaled (to resume it). Default: in memory. */
  readonly eventStore?: EventStore;
  /** Id of the run. Default: a random UUID. */
  readonly orchestrationId?: string;
  /**
   * Resume the run `orchestrationId` from `eventStore` (after a crash) instead of starting one:
   * what the journal holds is not done again, levels already expanded keep their pages.
   */
  readonly resume?: boolean;
  /** Cancels the crawl. */
  readonly signal?: AbortSignal;
}

/** What a crawl found. */
export interface CrawlReport {
  /** The pages read, level by level (level 0 is the start page). */
  readonly levels: ReadonlyArray<readonly PageFacts[]>;
  /** Links to missing files, with the page and line they are on. */
  readonly broken: ReadonlyArray<{ readonly page: string; readonly target: string; readonly line: number }>;
  /** Pages some read page links to that were not read: beyond `maxDepth`, or over a level's cap. */
  readonly notRead: readonly string[];
  /** The orchestration's measured result. */
  readonly result: OrchestrationResult;
}

function bounded(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new EchelonError(
      DocsCrawlErrorCode.OPTIONS_INVALID,
      `${name} must be an integer from ${min} to ${max}; got ${String(v)}.`,
      { details: { option: name, value: String(v) } },
    );
  return v;
}

/**
 * The crawl as a task tree: one node per level under a fork-join, each depending on every
 * earlier level (so its input holds what they read, `passOutputs`), each expanding when reached
 * into one reading task per page of its frontier, coordinated by a MapReduce.
 *
 * @param start - the start page
 * @param maxDepth - links followed from it
 * @param maxPages - most pages per level
 * @returns the spec
 */
export function crawlSpec(start: string, maxDepth: number, maxPages: number): TaskSpec {
  const levels = Array.from(
    { length: maxDepth + 1 },
    (_, level): TaskSpec => ({
      id: `level-${level}`,
      description: level === 0 ? `read ${start}` : `read the pages level ${level - 1} links to`,
      pattern: "mapreduce",
      // Each reading task answers one page; a level with nothing left answers an empty list.
      patternOptions: { reducer: "flatten" },
      input: { level, start, maxPages },
      dependsOn: Array.from({ length: level }, (_, earlier) => `level-${earlier}`),
      expand: { using: FRONTIER, maxChildren: maxPages },
    }),
  );
  return {
    id: "docs-crawl",
    description: `crawl the docs from ${start}, ${maxDepth} links deep`,
    pattern: "fork-join",
    patternOptions: { passOutputs: true },
    children: levels,
  };
}

/**
 * Crawls a docs folder level by level, following relative Markdown links: each level reads —
 * really reads — the pages the previous level links to and that no earlier level read, at most
 * `maxPagesPerLevel` of them, with at most `maxAgentsPerLevel` agents at once, until
 * `maxDepth`. The plan starts with one empty node per level and grows as the crawl goes.
 *
 * @param options - folder, start page, depth and caps
 * @returns the pages by level, broken links, pages not read, and the measured result
 * @throws EchelonError `ECHELON_DOCS_CRAWL_OPTIONS_INVALID`, `ECHELON_DOCS_CRAWL_START_MISSING`
 */
export async function crawlDocs(options: CrawlOptions): Promise<CrawlReport> {
  const maxDepth = bounded("maxDepth", options.maxDepth, 3, 0, 20);
  const maxPages = bounded("maxPagesPerLevel", options.maxPagesPerLevel, 25, 1, 10_000);
  const readers = bounded("maxAgentsPerLevel", options.maxAgentsPerLevel, 4, 1, 64);
  const docsDir = resolve(options.docsDir);
  const start = relative(docsDir, normalize(join(docsDir, options.start)))
    .split("\\")
    .join("/");
  if (start.startsWith("../") || isAbsolute(start))
    throw new EchelonError(
      DocsCrawlErrorCode.OPTIONS_INVALID,
      `The start page ${options.start} is outside ${docsDir}.`,
      {
        details: { option: "start", value: options.start },
      },
    );
  if (!existsSync(join(docsDir, start)))
    throw new EchelonError(
      DocsCrawlErrorCode.START_MISSING,
      `There is no ${start} in ${docsDir}. Pass the page to start from, relative to the docs folder.`,
      { details: { docsDir, start } },
    );
  const orchestrator = createOrchestrator({
    maxDepth: 2,
    // The crawl, one level at a time (each waits for the earlier ones), then the readers.
    maxAgentsPerLevel: [1, 1, readers],
    plugins: [docsFrontierPlugin()],
    agents: [
      functionAgent(
        { name: "page-reader", level: "tertiary", capabilities: ["docs:read"], maxInstances: readers },
        (work) => readPage(docsDir, (work.input as { path: string }).path),
      ),
    ],
    ...(options.eventStore ? { eventStore: options.eventStore } : {}),
  });
  try {
    const signal = options.signal ? { signal: options.signal } : {};
    const result =
      options.resume === true && options.orchestrationId !== undefined
        ? await orchestrator.resume(options.orchestrationId, signal)
        : await orchestrator.orchestrateComplexTask(crawlSpec(start, maxDepth, maxPages), {
            ...(options.orchestrationId ? { orchestrationId: options.orchestrationId } : {}),
            ...signal,
          });
    return reportOf(result, maxDepth);
  } finally {
    await orchestrator.shutdown();
  }
}

/**
 * What the crawl's result says, page by page.
 *
 * @param result - the crawl's result (`{ "level-<n>": PageFacts[] }` when it succeeded)
 * @param maxDepth - links followed
 * @returns the report
 */
export function reportOf(result: OrchestrationResult, maxDepth: number): CrawlReport {
  const byLevel = (result.result ?? {}) as Record<string, PageFacts[]>;
  const levels = Array.from({ length: maxDepth + 1 }, (_, l) => byLevel[`level-${l}`] ?? []);
  const read = new Set(levels.flat().map((p) => p.path));
  const notRead = [...new Set(levels.flat().flatMap((p) => p.links))].filter((p) => !read.has(p));
  const broken = levels.flat().flatMap((p) => p.broken.map((b) => ({ page: p.path, ...b })));
  return { levels, broken, notRead, result };
}

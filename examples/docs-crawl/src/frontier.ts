import type { TaskSpec } from "echelon";
import { definePlugin, type EchelonPlugin, type Expander, type ExpandRequest } from "echelon/plugin";
import type { PageFacts } from "./page.js";

/** Name of the expander, as the level nodes name it (`expand: { using: "docs-frontier" }`). */
export const FRONTIER = "docs-frontier";

/**
 * The input of a level node when it is reached: its own fields, and — handed over by the
 * fork-join (`passOutputs`) — the pages every earlier level read, under `level-<n>`.
 */
export interface LevelInput {
  /** Which level this is: 0 reads the start page, n the pages level n − 1 links to. */
  readonly level: number;
  /** The page the crawl starts from (relative to the docs folder). */
  readonly start: string;
  /** Most pages this level reads; the others are left out of it. */
  readonly maxPages: number;
  /** The pages read by earlier levels. */
  readonly [earlier: `level-${number}`]: readonly PageFacts[] | undefined;
}

/** A node id for a page: `patterns/saga.md` → `patterns-saga-md`. */
export function pageId(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "page"
  );
}

/**
 * The pages a level reads: the start page at level 0; then the pages the previous level links
 * to, in the order it found them, without those an earlier level read (the set of pages seen
 * is the earlier levels' own output, in the node's input: nothing is kept in memory, so a
 * resumed run decides the same), at most `maxPages`.
 *
 * @param input - the level node's input
 * @returns the pages, relative to the docs folder
 */
export function frontierOf(input: LevelInput): string[] {
  if (input.level === 0) return [input.start];
  const seen = new Set<string>();
  for (let level = 0; level < input.level; level++)
    for (const page of input[`level-${level}`] ?? []) seen.add(page.path);
  const frontier: string[] = [];
  for (const page of input[`level-${input.level - 1}`] ?? [])
    for (const link of page.links) if (!seen.has(link) && !frontier.includes(link)) frontier.push(link);
  return frontier.slice(0, input.maxPages);
}

/**
 * The expander that makes a level's children when the level is reached: one task per page of
 * its frontier ({@link frontierOf}), each read by an agent offering `docs:read`.
 */
export const docsFrontier: Expander = {
  name: FRONTIER,
  expand(request: ExpandRequest) {
    const input = request.input as LevelInput;
    // Nothing left to read makes no child: the level's mapreduce then answers an empty list.
    const frontier = frontierOf(input).slice(0, request.maxChildren);
    const ids = new Set<string>();
    const children: TaskSpec[] = frontier.map((path) => {
      let id = pageId(path);
      for (let n = 2; ids.has(id); n++) id = `${pageId(path)}-${n}`;
      ids.add(id);
      return { id, description: `read ${path}`, input: { path }, capabilities: ["docs:read"] };
    });
    return { children };
  },
};

/**
 * The plugin registering {@link docsFrontier}.
 *
 * @returns the plugin `@echelon/example-docs-crawl/frontier`
 */
export function docsFrontierPlugin(): EchelonPlugin {
  return definePlugin({
    name: "@echelon/example-docs-crawl/frontier",
    version: "0.1.0",
    register: (ctx) => ctx.registerExpander(docsFrontier),
  });
}

/**
 * `@echelon/example-docs-crawl` — a crawl of a docs folder whose plan grows level by level
 * (`expand` with an expander plugin), each page read once, with caps per level.
 *
 * @packageDocumentation
 */
export { type CrawlOptions, type CrawlReport, crawlDocs, crawlSpec, reportOf } from "./crawl.js";
export { DocsCrawlErrorCode } from "./errors.js";
export {
  docsFrontier,
  docsFrontierPlugin,
  FRONTIER,
  frontierOf,
  type LevelInput,
  pageId,
} from "./frontier.js";
export { type PageFacts, readPage } from "./page.js";
export { reportLines } from "./report.js";

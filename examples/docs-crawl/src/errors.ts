/** Error codes of the docs-crawl example. Append-only; listed in docs/errors.md. */
export const DocsCrawlErrorCode = {
  /** A crawl option is out of range or malformed (`maxDepth`, `maxPagesPerLevel`, `maxAgentsPerLevel`, a start page outside the docs folder). Exit 64. */
  OPTIONS_INVALID: "ECHELON_DOCS_CRAWL_OPTIONS_INVALID",
  /** The start page of the crawl does not exist in the docs folder. Exit 64. */
  START_MISSING: "ECHELON_DOCS_CRAWL_START_MISSING",
} as const;

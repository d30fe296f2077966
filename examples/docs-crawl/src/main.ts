#!/usr/bin/env node
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isEchelonError } from "echelon";
import { crawlDocs } from "./crawl.js";
import { reportLines } from "./report.js";

const USAGE = `Usage: node dist/main.js [--docs <dir>] [--start <page>] [--max-depth <n>]
       [--max-pages-per-level <n>] [--max-agents-per-level <n>] [--json]

Crawls a docs folder (default: this repository's docs/) from a start page (default
getting-started.md), level by level along relative Markdown links. Exit codes: 0 no broken
link, 1 broken links found (listed) or the crawl failed, 64 bad input.`;

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

try {
  const { values } = parseArgs({
    options: {
      docs: { type: "string" },
      start: { type: "string" },
      "max-depth": { type: "string" },
      "max-pages-per-level": { type: "string" },
      "max-agents-per-level": { type: "string" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
  } else {
    const report = await crawlDocs({
      docsDir: resolve(values.docs ?? resolve(import.meta.dirname, "../../../docs")),
      start: values.start ?? "getting-started.md",
      maxDepth: number(values["max-depth"]),
      maxPagesPerLevel: number(values["max-pages-per-level"]),
      maxAgentsPerLevel: number(values["max-agents-per-level"]),
    } as Parameters<typeof crawlDocs>[0]);
    if (values.json) {
      const { result, ...rest } = report;
      console.log(JSON.stringify({ ...rest, success: result.success }, null, 2));
    } else console.log(reportLines(report).join("\n"));
    process.exitCode = report.result.success && report.broken.length === 0 ? 0 : 1;
  }
} catch (error) {
  if (isEchelonError(error)) {
    console.error(`error ${error.code}: ${error.message}\n\n${USAGE}`);
    process.exitCode = 64;
  } else if (
    error instanceof TypeError &&
    "code" in error &&
    String(error.code).startsWith("ERR_PARSE_ARGS")
  ) {
    console.error(`error: ${error.message}\n\n${USAGE}`);
    process.exitCode = 64;
  } else throw error;
}

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { MemoryEventStore } from "echelon";
import { afterEach, describe, expect, it } from "vitest";
import { crawlDocs } from "../src/crawl.js";

const run = promisify(execFile);
const exampleDir = resolve(import.meta.dirname, "..");
const docsDir = resolve(exampleDir, "../../docs");
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * A docs folder with a known link graph: index → a, b; a → c, index; b → c, sub/d (a link text
 * over two lines); c → e (a reference link); sub/d → a, a missing image; e → f. Plus a web link,
 * an anchor, a file outside the folder, a missing page and a link inside a code block (not a
 * link).
 */
async function fixture(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "docs-crawl-"));
  temps.push(root);
  const pages: Record<string, string> = {
    "index.md":
      "# Index\n\nSee [A](a.md), [B](./b.md#intro), [the web](https://example.com), [top](#index),\n" +
      "[outside](../outside.md) and [gone](missing.md).\n\n```md\n[not a link](ignored.md)\n```\n",
    "a.md": "# A\n\nOn to [C](c.md); back to [the index](index.md).\n",
    "b.md": "# B\n\n[C again](c.md) and [D, on a\nsecond line](sub/d.md).\n",
    "c.md": "# C\n\n[E][e]\n\n[e]: e.md\n",
    "sub/d.md": "# D\n\nUp to [A](../a.md). ![chart](chart.svg)\n",
    "e.md": "# E\n\n[F](f.md)\n",
    "f.md": "# F\n\nThe end.\n",
    "ignored.md": "# Never linked\n",
  };
  for (const [path, text] of Object.entries(pages)) {
    await mkdir(dirname(join(root, "docs", path)), { recursive: true });
    await writeFile(join(root, "docs", path), text);
  }
  await writeFile(join(root, "outside.md"), "# Outside the docs\n");
  return join(root, "docs");
}

const paths = (levels: ReadonlyArray<ReadonlyArray<{ path: string }>>) =>
  levels.map((l) => l.map((p) => p.path));

describe("docs crawl", () => {
  it("reads level by level along relative links, each page once, until maxDepth", async () => {
    const docs = await fixture();
    const store = new MemoryEventStore();
    const report = await crawlDocs({
      docsDir: docs,
      start: "index.md",
      maxDepth: 2,
      eventStore: store,
      orchestrationId: "c",
    });
    expect(report.result.success).toBe(true);
    // c is linked from a and b: read once, at the first level that reaches it.
    expect(paths(report.levels)).toEqual([["index.md"], ["a.md", "b.md"], ["c.md", "sub/d.md"]]);
    expect(report.notRead).toEqual(["e.md"]);
    expect(report.broken).toEqual([
      { page: "index.md", target: "missing.md", line: 4 },
      { page: "sub/d.md", target: "chart.svg", line: 3 },
    ]);
    expect(report.levels[0]![0]).toMatchObject({
      title: "Index",
      outside: ["outside.md"],
      links: ["a.md", "b.md"],
    });
    // The plan grew as the crawl went: one expansion per level, made when the level was reached.
    const expanded = store.read("c").filter((e) => e.type === "plan:expanded");
    expect(
      expanded.map((e) => [e.nodePath, e.type === "plan:expanded" ? e.children.map((c) => c.id) : []]),
    ).toEqual([
      ["docs-crawl/level-0", ["index-md"]],
      ["docs-crawl/level-1", ["a-md", "b-md"]],
      ["docs-crawl/level-2", ["c-md", "sub-d-md"]],
    ]);
    expect(report.result.metadata.totalTasks).toBe(4 + 5);
  });

  it("caps each level: a page over the cap is left out, and the readers at once stay under maxAgentsPerLevel", async () => {
    const docs = await fixture();
    const capped = await crawlDocs({ docsDir: docs, start: "index.md", maxDepth: 2, maxPagesPerLevel: 1 });
    expect(paths(capped.levels)).toEqual([["index.md"], ["a.md"], ["c.md"]]);
    expect(capped.notRead).toEqual(["b.md", "e.md"]);
    const wide = await crawlDocs({ docsDir: docs, start: "index.md", maxDepth: 6, maxAgentsPerLevel: 1 });
    expect(wide.result.metadata.metrics.peakConcurrency).toBe(1);
  });

  it("ends a crawl that has read every linked page before maxDepth with levels that read nothing", async () => {
    const docs = await fixture();
    const report = await crawlDocs({ docsDir: docs, start: "index.md", maxDepth: 6 });
    expect(paths(report.levels)).toEqual([
      ["index.md"],
      ["a.md", "b.md"],
      ["c.md", "sub/d.md"],
      ["e.md"],
      ["f.md"],
      [],
      [],
    ]);
    expect(report.notRead).toEqual([]);
    expect(report.result.success).toBe(true);
  });

  it("resumes after a crash without reading a level's pages twice or expanding a level again", async () => {
    const docs = await fixture();
    const whole = await crawlDocs({ docsDir: docs, start: "index.md", maxDepth: 3 });
    const store = new MemoryEventStore();
    await crawlDocs({
      docsDir: docs,
      start: "index.md",
      maxDepth: 3,
      eventStore: store,
      orchestrationId: "r",
    });
    // Keep the journal up to level 1's expansion, as if the process had died then.
    const journal = store.read("r");
    const cut =
      journal.findIndex((e) => e.type === "plan:expanded" && e.nodePath === "docs-crawl/level-1") + 1;
    const crashed = new MemoryEventStore();
    for (const e of journal.slice(0, cut)) crashed.append(e);
    const resumed = await crawlDocs({
      docsDir: docs,
      start: "index.md",
      maxDepth: 3,
      eventStore: crashed,
      orchestrationId: "r",
      resume: true,
    });
    expect(paths(resumed.levels)).toEqual(paths(whole.levels));
    const events = crashed.read("r");
    const expansions = events.filter((e) => e.type === "plan:expanded").map((e) => e.nodePath);
    expect(expansions).toEqual([
      "docs-crawl/level-0",
      "docs-crawl/level-1",
      "docs-crawl/level-2",
      "docs-crawl/level-3",
    ]);
    const reads = events.filter(
      (e) => e.type === "task:started" && e.nodePath === "docs-crawl/level-0/index-md",
    );
    expect(reads).toHaveLength(1);
  });

  it("crawls this repository's docs from getting-started: every page once, no broken link", async () => {
    const report = await crawlDocs({ docsDir, start: "getting-started.md", maxDepth: 4 });
    expect(report.result.success).toBe(true);
    const read = report.levels.flat().map((p) => p.path);
    expect(new Set(read).size).toBe(read.length);
    expect(report.levels[0]!.map((p) => p.path)).toEqual(["getting-started.md"]);
    expect(report.levels[1]!.map((p) => p.path)).toContain("concepts.md");
    expect(read).toContain("fan-out.md");
    expect(report.broken).toEqual([]);
  });

  it("refuses bad options with a code", async () => {
    await expect(crawlDocs({ docsDir, start: "getting-started.md", maxDepth: 21 })).rejects.toMatchObject({
      code: "ECHELON_DOCS_CRAWL_OPTIONS_INVALID",
    });
    await expect(crawlDocs({ docsDir, start: "../README.md" })).rejects.toMatchObject({
      code: "ECHELON_DOCS_CRAWL_OPTIONS_INVALID",
    });
    await expect(crawlDocs({ docsDir, start: "nope.md" })).rejects.toMatchObject({
      code: "ECHELON_DOCS_CRAWL_START_MISSING",
    });
  });

  it("the built command prints the levels and exits 0 on the project's docs, 64 on bad input", async () => {
    const main = join(exampleDir, "dist", "main.js");
    const { stdout } = await run(process.execPath, [main, "--max-depth", "1"]);
    expect(stdout).toMatch(/^level 0: 1 page\n {2}getting-started\.md/);
    expect(stdout).toMatch(/^level 1: \d+ pages$/m);
    expect(stdout).toContain("broken links      none");
    const bad = await run(process.execPath, [main, "--max-depth", "x"]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 64 });
    expect((bad as { stderr: string }).stderr).toMatch(/^error ECHELON_DOCS_CRAWL_OPTIONS_INVALID: maxDepth/);
  });
});

import { existsSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { functionAgent } from "@echelon/core";
import { type Browser, chromium } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDashboard } from "../src/index.js";
import {
  closeAll,
  dashboard as journalDashboard,
  fork,
  journaledOrchestrator,
  sqliteStore,
  tempJournal,
  tick,
} from "./journal-support.js";
import { hashChain, makeOrchestrator, openEndedHasher } from "./support.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TOKEN = "browser-test-token-0123456789";
const RESULTS = fileURLToPath(new URL("../test-results/", import.meta.url));
let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}. The dashboard browser test needs Debian's chromium: run ` +
        `"apt-get update && apt-get install -y chromium" as root (the project's .ci/run does this), ` +
        "or point CHROMIUM_PATH at a Chromium binary.",
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
});
afterEach(closeAll);

describe("dashboard in a real browser", () => {
  it("shows nodes turn from running to done, escapes task text, and cancels a long orchestration", async () => {
    const indexWork = openEndedHasher();
    const scanWork = openEndedHasher();
    const orchestrator = makeOrchestrator([
      functionAgent({ name: "indexer", capabilities: ["index"], capacity: 3 }, indexWork.run),
      functionAgent({ name: "scanner", capabilities: ["scan"], capacity: 2 }, scanWork.run),
    ]);
    const dashboard = await startDashboard({ orchestrator, token: TOKEN, flushMs: 100 });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const first = orchestrator.orchestrateComplexTask(
        {
          id: "root",
          description: "build an index <b>bold?</b>",
          pattern: "test-parallel",
          children: [
            {
              id: "shards",
              description: "hash the shards",
              pattern: "test-parallel",
              children: Array.from({ length: 4 }, (_, i) => ({
                id: `shard${i}`,
                description: `<img src=x onerror="window.pwned=1">shard ${i}`,
                capabilities: ["index"],
                input: `shard-${i}`,
              })),
            },
            { id: "manifest", description: "hash the manifest", capabilities: ["index"], input: "manifest" },
          ],
        },
        { orchestrationId: "build-index" },
      );
      await page.goto(`${dashboard.url}?token=${TOKEN}`);
      await page.locator('#orchs tr[data-id="build-index"]').waitFor();
      await page.locator('#tree .row[data-path="root/shards/shard0"][data-state="running"]').waitFor();
      expect(new URL(page.url()).search).toBe("");
      indexWork.release();
      // Runs in the page; typed structurally because the tests compile without DOM types.
      await page.waitForFunction(() => {
        type Row = { getAttribute(name: string): string | null };
        const doc = (globalThis as unknown as { document: { querySelectorAll(q: string): ArrayLike<Row> } })
          .document;
        const rows = Array.from(doc.querySelectorAll("#tree .row:not([hidden])"));
        return rows.length === 7 && rows.every((r) => r.getAttribute("data-state") === "completed");
      });
      await page.locator('#orchs tr[data-id="build-index"][data-state="completed"]').waitFor();
      expect((await first).success).toBe(true);
      // Task text is shown as text, never parsed as HTML.
      await expect(page.locator('#tree .row[data-path="root"] .label').textContent()).resolves.toBe(
        "root — build an index <b>bold?</b>",
      );
      expect(await page.locator("#tree b, #tree img").count()).toBe(0);
      expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

      const second = orchestrator.orchestrateComplexTask(
        {
          id: "scan",
          description: "scan everything",
          pattern: "test-parallel",
          children: [
            { id: "disk", description: "scan the disk", capabilities: ["scan"], input: "disk" },
            { id: "net", description: "scan the network", capabilities: ["scan"], input: "net" },
          ],
        },
        { orchestrationId: "long-scan" },
      );
      await page.locator('#tree .row[data-path="scan/disk"][data-state="running"]').waitFor();
      await page.locator('button[data-cancel="long-scan"]').click();
      await page.locator('#orchs tr[data-id="long-scan"][data-state="cancelled"]').waitFor();
      expect((await second).state).toBe("cancelled");
      await page.locator('#tree .row[data-path="scan/disk"][data-state="cancelled"]').waitFor();
      expect(await page.locator('#levels .level[data-level="secondary"]').count()).toBe(1);
      // A reload works without the token in the address bar (HttpOnly cookie + session storage).
      await page.reload();
      await page.locator('#orchs tr[data-id="long-scan"][data-state="cancelled"]').waitFor();

      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}dashboard.png`, fullPage: true });
      expect(existsSync(`${RESULTS}dashboard.png`)).toBe(true);
    } finally {
      scanWork.release();
      await page.close();
      await dashboard.close();
      await orchestrator.shutdown();
    }
  });

  it("stays usable with 10,000 nodes: only visible rows are in the DOM, subtrees collapse", async () => {
    const orchestrator = makeOrchestrator(
      [functionAgent({ name: "tiny", capacity: 8 }, (w, ctx) => hashChain(String(w.input), 5, ctx.signal))],
      { maxAgentsPerLevel: [4, 32, 64] },
    );
    const dashboard = await startDashboard({ orchestrator });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const result = await orchestrator.orchestrateComplexTask(
        {
          id: "big",
          description: "ten thousand leaves",
          pattern: "test-parallel",
          children: Array.from({ length: 100 }, (_, g) => ({
            id: `g${g}`,
            description: `group ${g}`,
            pattern: "test-parallel",
            children: Array.from({ length: 100 }, (_, i) => ({
              id: `t${i}`,
              description: `task ${g}.${i}`,
              input: g * 100 + i,
            })),
          })),
        },
        { orchestrationId: "big" },
      );
      expect(result.success).toBe(true);
      await page.goto(dashboard.url);
      await page.locator("#tree-count").filter({ hasText: "10101 nodes, 10101 shown" }).waitFor();
      const domRows = await page.locator("#tree .row:not([hidden])").count();
      expect(domRows).toBeGreaterThan(10);
      expect(domRows).toBeLessThan(200);
      await page.click("#collapse");
      await page.locator("#tree-count").filter({ hasText: "10101 nodes, 101 shown" }).waitFor();
      await page.locator('#tree .row[data-path="big/g0"] .tog').click();
      await page.locator("#tree-count").filter({ hasText: "10101 nodes, 201 shown" }).waitFor();
      await page.locator("#tree").evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.locator('#tree .row[data-path="big/g99"][data-state="completed"]').waitFor();
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}dashboard-10k.png` });
    } finally {
      await page.close();
      await dashboard.close();
      await orchestrator.shutdown();
    }
  });

  it("marks journal runs with a badge, opens one folded from the journal with its outcome, and cancels another process's run through the journal, without page errors", async () => {
    const path = tempJournal();
    const work = openEndedHasher();
    const other = journaledOrchestrator(
      [
        functionAgent({ name: "doubler", capacity: 2 }, (w) => {
          if (w.input === 9) throw new Error("nine is not allowed");
          return Number(w.input) * 2;
        }),
        functionAgent({ name: "slow", capabilities: ["slow"] }, work.run),
      ],
      sqliteStore(path),
    );
    await other.orchestrateComplexTask(fork(2), { orchestrationId: "old-run" });
    await tick();
    await other.orchestrateComplexTask(
      { id: "nine", description: "double nine", input: 9 },
      { orchestrationId: "old-failed" },
    );
    await tick();
    const remote = other.orchestrateComplexTask(
      { id: "wait", description: "hash until cancelled", capabilities: ["slow"], input: "w" },
      { orchestrationId: "remote" },
    );
    const mine = makeOrchestrator([functionAgent({ name: "quick" }, (w) => w.taskId)]);
    const d = await journalDashboard({
      orchestrator: mine,
      store: sqliteStore(path),
      flushMs: 100,
      historyRefreshMs: 100,
    });
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    try {
      await page.goto(d.url);
      await mine.orchestrateComplexTask(
        { id: "here", description: "a live run" },
        { orchestrationId: "mine" },
      );
      await page.locator('#orchs tr[data-id="mine"][data-source="live"]').waitFor();
      expect(await page.locator('#orchs tr[data-id="mine"] .tag.journal').count()).toBe(0);
      for (const id of ["old-run", "old-failed", "remote"])
        await page.locator(`#orchs tr[data-id="${id}"][data-source="journal"] .tag.journal`).waitFor();

      await page.locator('#orchs tr[data-id="old-run"] td').first().click();
      await page.locator('#tree .row[data-path="root/leaf1"][data-state="completed"]').waitFor();
      await expect(page.locator("#outcome").textContent()).resolves.toBe("result: [0,2]");
      await page.locator('#orchs tr[data-id="old-failed"] td').first().click();
      await page.locator('#tree .row[data-path="nine"][data-state="failed"]').waitFor();
      await page.locator("#outcome.failed").waitFor();
      expect(await page.locator("#outcome").textContent()).toContain("nine is not allowed");

      await page.locator('button[data-cancel="remote"]').click();
      await page.locator('#orchs tr[data-id="remote"][data-state="cancelled"]').waitFor();
      expect((await remote).state).toBe("cancelled");
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: `${RESULTS}dashboard-journal.png`, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      work.release();
      await page.close();
      await mine.shutdown();
    }
  });
});

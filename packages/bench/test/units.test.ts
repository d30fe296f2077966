import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  barChart,
  type CaseResult,
  type ChildResult,
  checkGoals,
  lineChart,
  locate,
  locateFrame,
  median,
  round,
  summarize,
  SourceMapLocator,
  summarizeProfiles,
} from "../src/index.js";
import { figuresOf, ratiosOf } from "../src/run-suite.js";
import type { CaseSpec } from "../src/suite.js";

describe("statistics", () => {
  it("median of odd and even counts, summary with min and max", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    expect(summarize([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9, n: 3 });
    expect(round(0.081234)).toBe(0.0812);
    expect(round(123456)).toBe(123000);
  });
});

function child(variant: string, ms: number, extra: ChildResult["extra"] = {}): ChildResult {
  return {
    workload: "w",
    variant,
    size: 1000,
    coldMs: ms * 2,
    samplesMs: [ms],
    ms,
    peakRssMb: 100,
    baseRssMb: 70,
    extra,
  };
}

function fakeCase(
  key: string,
  workload: string,
  size: number,
  runs: Record<string, number[]>,
  extra: ChildResult["extra"] = {},
): CaseResult {
  const spec: CaseSpec = {
    key,
    workload,
    size,
    variants: Object.keys(runs),
    baselines: Object.keys(runs).filter((v) => v !== "echelon"),
    warmup: 1,
    reps: 1,
    runs: 3,
  };
  const variants = Object.fromEntries(
    Object.entries(runs).map(([v, ms]) => [
      v,
      figuresOf(
        v,
        ms.map((m) => child(v, m, v === "echelon" ? extra : {})),
        size,
      ),
    ]),
  );
  return { spec, variants, ratios: ratiosOf(spec, variants), retried: 0 };
}

describe("aggregation and goals", () => {
  it("ratio of the medians with the range of per-run ratios; µs per task", () => {
    const c = fakeCase("fanout@10000", "fanout", 10_000, { "p-limit": [20, 10, 30], echelon: [10, 30, 60] });
    expect(c.variants.echelon!.usPerTask.median).toBe(3);
    const r = c.ratios.find((x) => x.variant === "echelon" && x.baseline === "p-limit")!;
    expect(r.median).toBe(1.5);
    expect(r).toMatchObject({ min: 0.5, max: 3 });
  });

  it("goals are met or missed by the issue's thresholds", () => {
    const goals = checkGoals([
      fakeCase("fanout@10000", "fanout", 10_000, { "p-limit": [20, 20, 20], echelon: [19, 19, 19] }),
      fakeCase(
        "timers",
        "timers",
        1000,
        { "p-limit": [100, 100, 100], echelon: [103, 103, 103] },
        { coordinationOverhead: 0.5 },
      ),
      fakeCase("tree", "tree", 100, { raw: [10, 10, 10], echelon: [10.4, 10.4, 10.4] }),
    ]);
    const byId = Object.fromEntries(goals.map((g) => [g.id, g.met]));
    expect(byId["W1-time"]).toBe(true);
    expect(byId["W2-wall"]).toBe(false);
    expect(byId["W2-overhead"]).toBe(true);
    expect(byId.W4).toBe(true);
    expect(byId.W3).toBe(null);
  });

  it("start-up goals: import at most 50 ms, the cold first run within 1.5× p-limit's", () => {
    const goals = checkGoals([
      fakeCase("import", "import", 1, { "p-limit": [10, 10, 10], echelon: [120, 120, 120] }),
      fakeCase("cold", "cold", 10_000, { "p-limit": [100, 100, 100], echelon: [140, 140, 140] }),
    ]);
    const byId = Object.fromEntries(goals.map((g) => [g.id, g.met]));
    expect(byId.import).toBe(false);
    expect(byId.cold).toBe(true);
    expect(goals.find((g) => g.id === "import")?.measured).toContain("120 ms");
  });

  it("the soak goal: live heap growth of at most 1 MB per back-to-back run", () => {
    const flat = fakeCase("soak", "soak", 100_000, { echelon: [900, 900, 900] }, { heapGrowthPerRunMb: 0.3 });
    const growing = fakeCase(
      "soak",
      "soak",
      100_000,
      { echelon: [900, 900, 900] },
      { heapGrowthPerRunMb: 70 },
    );
    expect(checkGoals([flat]).find((g) => g.id === "soak")?.met).toBe(true);
    expect(checkGoals([growing]).find((g) => g.id === "soak")?.met).toBe(false);
    expect(checkGoals([]).find((g) => g.id === "soak")?.met).toBe(null);
  });
});

describe("profile summary", () => {
  it("attributes self time per function and package, with GC and idle shares", () => {
    const url = "file:///repo/packages/core/dist/hierarchy/level-pool.js";
    const summary = summarizeProfiles([
      {
        nodes: [
          { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: 0 }, children: [2, 3, 4] },
          { id: 2, callFrame: { functionName: "acquire", url, lineNumber: 10 }, children: [5] },
          { id: 3, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: 0 } },
          { id: 4, callFrame: { functionName: "(idle)", url: "", lineNumber: 0 } },
          {
            id: 5,
            callFrame: { functionName: "addEventListener", url: "node:internal/event_target", lineNumber: 1 },
          },
        ],
        samples: [2, 2, 3, 4, 2, 5, 5],
        timeDeltas: [0, 100, 100, 100, 100, 100, 100, 100],
      },
    ]);
    // 7 samples of 100 µs: acquire 3, addEventListener (called by acquire) 2, GC 1, idle 1.
    expect(summary.top[0]).toEqual({
      name: "core/src/hierarchy/level-pool.ts:acquire",
      selfMs: 0.3,
      percent: 42.9,
    });
    expect(summary.top[1]).toEqual({
      name: "node:internal/event_target:addEventListener",
      selfMs: 0.2,
      percent: 28.6,
    });
    expect(summary.gcPercent).toBe(14.3);
    expect(summary.idlePercent).toBe(14.3);
    expect(summary.byPackage.core).toBe(42.9);
    expect(summary.byEchelonFrame).toEqual([
      { name: "core/src/hierarchy/level-pool.ts:acquire", selfMs: 0.5, percent: 71.4 },
    ]);
    expect(locate("file:///r/node_modules/.pnpm/zod@4.1.0/node_modules/zod/v4/core.js")).toBe(
      "zod/v4/core.js",
    );
    expect(locate("node:internal/timers")).toBe("node:internal/timers");
  });
});

describe("profile locations through source maps", () => {
  const root = mkdtempSync(path.join(tmpdir(), "bench-maps-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bundleDir = path.join(root, "packages", "demo", "dist", "bundle");
  mkdirSync(bundleDir, { recursive: true });
  // Line 0 comes from src/a.ts (line 0), line 1 from src/b.ts (line 4, column 2).
  const map = { version: 3, sources: ["../../src/a.ts", "../../src/b.ts"], names: [], mappings: "AAAA;ACIE" };
  const code = "function a() {}\nfunction b() {}\n";
  writeFileSync(path.join(bundleDir, "index.js"), `${code}//# sourceMappingURL=index.js.map\n`);
  writeFileSync(path.join(bundleDir, "index.js.map"), JSON.stringify(map));
  const inline = Buffer.from(JSON.stringify(map)).toString("base64");
  writeFileSync(
    path.join(bundleDir, "inline.js"),
    `${code}//# sourceMappingURL=data:application/json;base64,${inline}\n`,
  );
  writeFileSync(path.join(bundleDir, "plain.js"), code);
  const url = (name: string) => pathToFileURL(path.join(bundleDir, name)).href;

  it("names bundled frames by the source file they were bundled from", () => {
    const summary = summarizeProfiles([
      {
        nodes: [
          { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: 0 }, children: [2, 3] },
          { id: 2, callFrame: { functionName: "a", url: url("index.js"), lineNumber: 0, columnNumber: 0 } },
          { id: 3, callFrame: { functionName: "b", url: url("index.js"), lineNumber: 1, columnNumber: 9 } },
        ],
        samples: [2, 3, 3, 3],
        timeDeltas: [0, 100, 100, 100, 100],
      },
    ]);
    expect(summary.top.map((t) => t.name)).toEqual(["demo/src/b.ts:b", "demo/src/a.ts:a"]);
    expect(summary.byEchelonFrame.map((t) => t.name)).toEqual(["demo/src/b.ts:b", "demo/src/a.ts:a"]);
    expect(summary.byPackage).toEqual({ demo: 100 });
  });

  it("reads inline maps, and keeps the script's own location without a map or a mapping", () => {
    const maps = new SourceMapLocator();
    const frame = (name: string, lineNumber: number) => ({ functionName: "f", url: url(name), lineNumber });
    expect(locateFrame(frame("inline.js", 1), maps)).toBe("demo/src/b.ts");
    expect(locateFrame(frame("plain.js", 1), maps)).toBe("demo/src/bundle/plain.ts");
    expect(locateFrame(frame("missing.js", 0), maps)).toBe("demo/src/bundle/missing.ts");
    expect(maps.original(url("index.js"), 7, 0)).toBe(path.join(root, "packages", "demo", "src", "b.ts"));
    expect(maps.original("node:internal/timers", 0, 0)).toBeNull();
    expect(locateFrame({ functionName: "g", url: "node:internal/timers", lineNumber: 3 }, maps)).toBe(
      "node:internal/timers",
    );
  });

  it("locates a function of @echelon/core's published bundle in its source file", () => {
    const chunks = path.resolve(
      path.dirname(fileURLToPath(import.meta.url)),
      "../../core/dist/bundle/chunks",
    );
    const name = readdirSync(chunks).find(
      (f) =>
        f.endsWith(".js") &&
        readFileSync(path.join(chunks, f), "utf8").includes("function estimateJsonBytes("),
    );
    expect(name).toBeDefined();
    const lines = readFileSync(path.join(chunks, name!), "utf8").split("\n");
    const line = lines.findIndex((l) => l.startsWith("function estimateJsonBytes("));
    const frame = {
      functionName: "estimateJsonBytes",
      url: pathToFileURL(path.join(chunks, name!)).href,
      lineNumber: line,
      columnNumber: "function ".length,
    };
    expect(locate(frame.url)).toMatch(/^core\/src\/bundle\/chunks\//);
    expect(locateFrame(frame, new SourceMapLocator())).toBe("core/src/util/estimate-bytes.ts");
  });
});

describe("SVG charts", () => {
  it("a line chart draws one polyline per series with its points, and a legend", () => {
    const svg = lineChart({
      title: "t <1>",
      xLabel: "x",
      yLabel: "y",
      logY: true,
      series: [
        {
          name: "a",
          points: [
            { x: 1000, y: 2 },
            { x: 10_000, y: 3, min: 2, max: 4 },
          ],
        },
        {
          name: "b",
          points: [
            { x: 1000, y: 20 },
            { x: 10_000, y: 30 },
          ],
        },
      ],
    });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(4);
    expect(svg).toContain("t &lt;1&gt;");
  });

  it("a bar chart draws one bar per value and the goal marks", () => {
    const svg = barChart({
      title: "r",
      unit: "×",
      bars: [
        { label: "a", value: 1.2, goal: 1.1 },
        { label: "b", value: 0.9 },
      ],
    });
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg.match(/stroke="#c00"/g)).toHaveLength(1);
  });
});

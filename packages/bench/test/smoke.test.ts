import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BenchReport, runBench, runChild, suiteCases, WORKLOADS } from "../src/index.js";
import { runRequest } from "../src/child/run-request.js";
import { expectEqual } from "../src/workloads/bodies.js";

const docsDir = mkdtempSync(path.join(os.tmpdir(), "echelon-bench-test-"));
afterAll(() => rmSync(docsDir, { recursive: true, force: true }));

describe("the smoke suite (tiny sizes, one run each, no timing assertions)", () => {
  it("measures every workload in child processes and writes the report, the JSON and the charts", {
    timeout: 240_000,
  }, async () => {
    const { report, files } = await runBench({ mode: "smoke", docsDir });
    const keys = report.cases.map((c) => c.spec.key);
    // The remote cases run when redis-server is installed (CI installs it) and are skipped otherwise.
    const skipped = new Set((report.skipped ?? []).map((s) => s.key));
    expect(keys).toEqual(
      suiteCases("smoke")
        .map((c) => c.key)
        .filter((k) => !skipped.has(k)),
    );
    for (const c of report.cases) {
      for (const v of c.spec.variants) {
        const figures = c.variants[v]!;
        expect(figures.runs).toHaveLength(1);
        expect(figures.ms.median).toBeGreaterThan(0);
        expect(figures.peakRssMb.median).toBeGreaterThan(0);
      }
    }
    const wordcount = report.cases.find((c) => c.spec.key === "wordcount")!;
    expect(wordcount.variants.echelon!.extra.identical).toBe(true);
    expect(wordcount.variants.echelon!.extra.outputHash).toBe(wordcount.variants.loop!.extra.outputHash);
    expect(report.goals.map((g) => g.id)).toEqual(
      expect.arrayContaining([
        "W1-time",
        "W1-memory",
        "W2-wall",
        "W2-overhead",
        "W3",
        "W4",
        "scaling-leaves",
        "scaling-agents",
        "import",
        "cold",
        "soak",
      ]),
    );
    for (const p of report.profiles) expect(p.profile.top.length).toBeGreaterThan(0);
    // The heap attribution child ran with --expose-gc and measured live heap.
    expect(report.memory?.result.extra.planHeapMb).toBeGreaterThan(0);
    expect(typeof report.memory?.result.extra.retainedAfterRunMb).toBe("number");

    const names = files.map((f) => path.relative(docsDir, f)).sort();
    expect(names).toEqual(
      expect.arrayContaining([
        "benchmarks.md",
        "benchmarks/results.json",
        "benchmarks/fanout-time.svg",
        "benchmarks/ratios.svg",
      ]),
    );
    const json = JSON.parse(
      readFileSync(path.join(docsDir, "benchmarks", "results.json"), "utf8"),
    ) as BenchReport;
    expect(json.machine.cpus).toBeGreaterThan(0);
    expect(json.machine.loadAtEnd).toHaveLength(3);
    const md = readFileSync(path.join(docsDir, "benchmarks.md"), "utf8");
    expect(md).toContain("## Goals");
    expect(md).toContain("| `echelon` |");
    expect(md).toContain("## Durable journal (SQLite)");
    expect(md).toContain("| `sqlite-normal` |");
    expect(md).toContain("### Cold resume of a crashed run — resume@200");
    expect(md).toContain("## Start-up");
    expect(md).toContain("### Soak");
    const soak = report.cases.find((c) => c.spec.key === "soak")!;
    expect(soak.variants.echelon!.extra.heapGrowthPerRunMb).toEqual(expect.any(Number));
    expect(md).toContain("| `echelon-run-only` |");
  });
});

describe("failures are reported, not swallowed", () => {
  it("a child asked for an unknown workload fails with ECHELON_BENCH_CHILD_FAILED naming the cause", async () => {
    await expect(
      runChild({ workload: "nope", variant: "x", size: 1, warmup: 1, reps: 1 }),
    ).rejects.toMatchObject({
      code: "ECHELON_BENCH_CHILD_FAILED",
      message: expect.stringContaining("ECHELON_BENCH_WORKLOAD_UNKNOWN"),
    });
  });

  it("a variant whose output is wrong fails with ECHELON_BENCH_OUTPUT_MISMATCH", async () => {
    const broken = {
      name: "broken",
      variants: {
        v: async () => async () => ({
          run: async () => 41,
          finish: (out: unknown) => {
            expectEqual("broken/v", out, 42);
            return {};
          },
        }),
      },
    };
    await expect(
      runRequest({ workload: "broken", variant: "v", size: 1, warmup: 1, reps: 1 }, { broken }),
    ).rejects.toMatchObject({
      code: "ECHELON_BENCH_OUTPUT_MISMATCH",
    });
  });

  it("runs a real workload in-process and reports its samples and figures", async () => {
    const result = await runRequest(
      { workload: "fanout", variant: "echelon", size: 200, warmup: 1, reps: 2, options: { cap: 10 } },
      WORKLOADS,
    );
    expect(result.samplesMs).toHaveLength(2);
    expect(result.extra.peakConcurrency).toBe(10);
    expect(result.extra.leafSlots).toBe(10);
  });

  it("W1 `echelon` reuses one orchestrator across iterations (finished runs retained), `echelon-run-only` a fresh one each", async () => {
    const request = { workload: "fanout", size: 50, warmup: 1, reps: 2, options: { cap: 5 } };
    const whole = await runRequest({ ...request, variant: "echelon" }, WORKLOADS);
    // Iterations 2 and 3 of one orchestrator: it knew 2, then 3 finished runs (median 2.5).
    expect(whole.extra.retainedRuns).toBe(2.5);
    const runOnly = await runRequest({ ...request, variant: "echelon-run-only" }, WORKLOADS);
    expect(runOnly.extra.retainedRuns).toBeUndefined();
    expect(runOnly.extra.planMs).toBeGreaterThan(0);
    const core = await runRequest({ ...request, variant: "echelon-core" }, WORKLOADS);
    expect(core.samplesMs).toHaveLength(2);
  });

  it("a wrong order of W1 outputs is a mismatch", async () => {
    const { expectEqual: check } = await import("../src/workloads/bodies.js");
    expect(() => check("fanout/echelon", [1, 0], [0, 1])).toThrow(
      expect.objectContaining({ code: "ECHELON_BENCH_OUTPUT_MISMATCH" }),
    );
  });

  it("a variant timed in a fresh process reports the time measured inside it, not the wall time around it", async () => {
    const timed = {
      name: "timed",
      variants: {
        v: async () => async () => ({
          run: async () => {
            await new Promise((resolve) => setTimeout(resolve, 30));
            return 7;
          },
          reportedMs: (out: unknown) => out as number,
          finish: () => ({}),
        }),
      },
    };
    const result = await runRequest(
      { workload: "timed", variant: "v", size: 1, warmup: 1, reps: 2 },
      { timed },
    );
    expect(result.samplesMs).toEqual([7, 7]);
    expect(result.coldMs).toBe(7);
  });

  it("start-up rows run in new processes: the import and the cold first run, outputs checked there", {
    timeout: 60_000,
  }, async () => {
    const imported = await runRequest(
      { workload: "import", variant: "p-limit", size: 1, warmup: 0, reps: 1 },
      WORKLOADS,
    );
    expect(imported.ms).toBeGreaterThan(0);
    expect(imported.extra.processMs).toBeGreaterThan(imported.ms);
    const cold = await runRequest(
      { workload: "cold", variant: "echelon", size: 100, warmup: 0, reps: 1 },
      WORKLOADS,
    );
    expect(cold.extra.outputs).toBe(100);
    expect(cold.extra.processMs).toBeGreaterThan(cold.ms);
  });
});

describe("requests are checked", () => {
  it("a negative warm-up count is refused with ECHELON_BENCH_OPTIONS_INVALID", async () => {
    await expect(
      runRequest({ workload: "fanout", variant: "raw", size: 10, warmup: -1, reps: 1 }, WORKLOADS),
    ).rejects.toMatchObject({
      code: "ECHELON_BENCH_OPTIONS_INVALID",
      message: expect.stringContaining("warmup"),
    });
  });

  it("warmup 0 runs exactly the measured iterations; the first is reported as cold", async () => {
    const result = await runRequest(
      { workload: "fanout", variant: "raw", size: 10, warmup: 0, reps: 2 },
      WORKLOADS,
    );
    expect(result.samplesMs).toHaveLength(2);
    expect(result.coldMs).toBe(result.samplesMs[0]);
  });
});

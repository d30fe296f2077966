import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBench, suiteCases } from "../src/index.js";
import { commandsPerTask } from "../src/workloads/remote-hosts.js";

const docsDir = mkdtempSync(path.join(os.tmpdir(), "echelon-bench-remote-"));
afterAll(() => rmSync(docsDir, { recursive: true, force: true }));

describe("the remote cases", () => {
  it("without redis-server they are skipped, the report and the goals say why, and nothing fails", async () => {
    const cases = suiteCases("smoke").filter((c) => c.workload === "remote");
    expect(cases.map((c) => c.key)).toEqual([
      "remote-noop",
      "remote-timers",
      "remote-roundtrips",
      "remote-cpu",
    ]);
    const { report } = await runBench({
      mode: "smoke",
      docsDir,
      cases,
      profileMissed: false,
      redisExecutable: "/nonexistent/redis-server",
    });
    expect(report.cases).toEqual([]);
    expect(report.skipped?.map((s) => s.key)).toEqual(cases.map((c) => c.key));
    expect(report.skipped?.[0]?.reason).toMatch(/ECHELON_TRANSPORT_REDIS_NOT_INSTALLED|was not found/);
    expect(report.goals.filter((g) => /remote/.test(g.id)).map((g) => g.id)).toEqual([
      "W1-remote",
      "W2-remote",
      "remote-roundtrips",
      "remote-cpu",
    ]);
    for (const g of report.goals.filter((g) => /remote/.test(g.id))) {
      expect(g.met).toBeNull();
      expect(g.measured).toMatch(/^skipped: no Redis/);
    }
    const md = readFileSync(path.join(docsDir, "benchmarks.md"), "utf8");
    expect(md).toContain("**remote-noop skipped**");
    expect(md).toContain("apt-get install redis-server");
  });

  it("Redis commands per task: total and the three largest, from two readings", () => {
    const before = new Map([
      ["evalsha", 10],
      ["xread", 3],
    ]);
    const after = new Map([
      ["evalsha", 210],
      ["xread", 13],
      ["bzpopmin", 2],
      ["hmget", 1],
    ]);
    expect(commandsPerTask(before, after, 100)).toEqual({
      redisCommandsPerTask: 2.13,
      redisCommandsTop: "evalsha 2, xread 0, bzpopmin 0",
    });
    expect(commandsPerTask(new Map(), new Map([["evalsha", 300]]), 100, "roundTrips")).toEqual({
      roundTripsPerTask: 3,
      roundTripsTop: "evalsha 3",
    });
  });
});

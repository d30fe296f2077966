import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { type LocalRedis, startLocalRedis } from "@echelon/transport-bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { markdownFiles } from "../src/files.js";
import { textStats } from "../src/text-stats.js";

const example = resolve(import.meta.dirname, "..");
const echelonBin = resolve(example, "node_modules/@echelon/cli/dist/bin.js");
const orchestrate = resolve(example, "dist/orchestrate.js");
const docs = resolve(example, "../../docs");
let redis: LocalRedis;
const workers: ChildProcess[] = [];

/** `echelon worker` in its own process, as on another machine: only the Redis URL is shared. */
function startWorker(id: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      echelonBin,
      "worker",
      "--redis",
      redis.url,
      "--agents",
      "./dist/agents.js",
      "--concurrency",
      "2",
      "--id",
      id,
    ],
    { cwd: example },
  );
  workers.push(child);
  return new Promise((ready, fail) => {
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
      if (stderr.includes("serving")) ready(child);
    });
    child.once("exit", (code) => fail(new Error(`worker ${id} exited ${code}: ${stderr}`)));
  });
}

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [orchestrate, ...args],
      { cwd: example, maxBuffer: 8 << 20 },
      (error, stdout, stderr) =>
        done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  redis = await startLocalRedis();
  await Promise.all([startWorker("host-a"), startWorker("host-b")]);
});
afterAll(async () => {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((r) => {
          if (w.exitCode !== null) return r();
          w.once("exit", () => r());
          w.kill("SIGTERM");
        }),
    ),
  );
  await redis.stop();
});

describe("remote workers", () => {
  it("the orchestrator and two `echelon worker` hosts meet at one Redis URL; results equal the local computation", async () => {
    const { code, stdout, stderr } = await run("--redis", redis.url, "--dir", docs, "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const stats = JSON.parse(stdout) as Array<ReturnType<typeof textStats> & { host: string }>;
    const files = markdownFiles(docs);
    expect(files.length).toBeGreaterThan(5);
    expect(stats.map(({ host: _host, ...s }) => s)).toEqual(
      files.map((f) => JSON.parse(JSON.stringify(textStats(relative(docs, f), readFileSync(f, "utf8"))))),
    );
    // Every result came from a worker host process, none from the orchestrator's.
    for (const s of stats) expect(s.host).toMatch(/:\d+$/);
    const pids = new Set(stats.map((s) => Number(s.host.split(":").pop())));
    expect([...pids].every((pid) => workers.some((w) => w.pid === pid))).toBe(true);
  });

  it("prints which host did what", async () => {
    const { code, stdout } = await run("--redis", redis.url, "--dir", docs);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ files, \d+ words, in [\d.]+ s/);
    expect(stdout).toMatch(/hosts: .+:\d+ \(\d+\)/);
  });

  it("with Redis unreachable, the orchestrator exits 69 with a coded error within seconds", async () => {
    const dead = await startLocalRedis();
    await dead.stop();
    const started = Date.now();
    const { code, stderr } = await run("--redis", dead.url, "--dir", docs);
    expect(code).toBe(69);
    expect(stderr).toMatch(/^error ECHELON_TRANSPORT_REDIS_UNAVAILABLE: /);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

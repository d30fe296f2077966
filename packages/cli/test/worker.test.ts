import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { type LocalRedis, remoteAgent, startLocalRedis } from "@echelon/transport-bullmq";
import { createOrchestrator } from "echelon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = resolve(import.meta.dirname, "../dist/bin.js");
const fixtures = resolve(import.meta.dirname, "fixtures");
let redis: LocalRedis;

beforeAll(async () => {
  redis = await startLocalRedis();
});
afterAll(async () => {
  await redis.stop();
});

function startWorker(...args: string[]): {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, [bin, "worker", ...args], { cwd: fixtures });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, stderr: () => stderr, exit };
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("echelon worker", () => {
  it("serves the agents of a module to an orchestrator over Redis, and stops cleanly on SIGTERM", async () => {
    const worker = startWorker(
      "--redis",
      redis.url,
      "--agents",
      "./remote-agents.mjs",
      "--concurrency",
      "2",
      "--queue",
      "cli-q",
    );
    await until(() => worker.stderr().includes("serving cli-q"));
    expect(worker.stderr()).toMatch(/concurrency 2; agents: hasher/);
    const orchestrator = createOrchestrator({
      maxAgentsPerLevel: [2, 4],
      agents: [remoteAgent({ capabilities: ["hash"], connection: redis.url, queue: "cli-q" })],
    });
    try {
      const result = await orchestrator.orchestrateComplexTask({
        description: "hash",
        capabilities: ["hash"],
        input: "abc",
      });
      expect(result.success).toBe(true);
      expect(result.result).toEqual({
        digest: createHash("sha256").update("abc").digest("hex").slice(0, 12),
        pid: worker.child.pid,
      });
    } finally {
      await orchestrator.shutdown();
    }
    worker.child.kill("SIGTERM");
    expect(await worker.exit).toBe(0);
    expect(worker.stderr()).toMatch(/stopped/);
  });

  it("exits 69 with a coded error, quickly, when Redis does not answer", async () => {
    const dead = await startLocalRedis();
    await dead.stop();
    const started = Date.now();
    const worker = startWorker("--redis", dead.url, "--agents", "./remote-agents.mjs");
    expect(await worker.exit).toBe(69);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(worker.stderr()).toMatch(/error ECHELON_TRANSPORT_REDIS_UNAVAILABLE: .*did not answer/);
  });

  it("exits 64 naming what is missing", async () => {
    const r = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(
        process.execPath,
        [bin, "worker", "--agents", "./remote-agents.mjs"],
        { cwd: fixtures, env: { ...process.env, ECHELON_REDIS_URL: "" } },
        (error, _out, stderr) => done({ code: typeof error?.code === "number" ? error.code : 0, stderr }),
      ),
    );
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/needs --redis <url>/);
  });
});

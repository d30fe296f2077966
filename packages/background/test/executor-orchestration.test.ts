import {
  type AgentWork,
  CoreErrorCode,
  functionAgent,
  HierarchicalOrchestrator,
  NonRetryableError,
  type OrchestrationResult,
  type TaskSpec,
} from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { BackgroundAgentExecutor } from "../src/index.js";
import { countPrimes, finished, hashFile, inOrderPattern, next, sha256Of } from "./helpers.js";

const cleanups: Array<() => Promise<void>> = [];

function setup(maxParallel = 2): {
  exec: BackgroundAgentExecutor;
  orchestrator: HierarchicalOrchestrator;
  leaves: AgentWork[];
  attempts: string[];
} {
  const leaves: AgentWork[] = [];
  const attempts: string[] = [];
  const orchestrator = new HierarchicalOrchestrator({
    plugins: [inOrderPattern()],
    agents: [
      functionAgent({ name: "hasher", capabilities: ["hash"], capacity: 2 }, (work, context) => {
        leaves.push(work);
        return hashFile(work, context);
      }),
      functionAgent({ name: "primes", capabilities: ["primes"] }, countPrimes),
      functionAgent({ name: "validator", capabilities: ["validate"] }, (work) => {
        attempts.push(work.taskId);
        throw new NonRetryableError(`Record "${String(work.input)}" has no id; fix the input.`, {
          code: "ECHELON_TEST_RECORD_INVALID",
          details: { record: work.input },
        });
      }),
    ],
  });
  const exec = new BackgroundAgentExecutor({ maxParallel, orchestrator });
  cleanups.push(async () => {
    await exec.shutdown();
    await orchestrator.shutdown();
  });
  return { exec, orchestrator, leaves, attempts };
}

const hashThree: TaskSpec = {
  description: "hash the fixture files",
  pattern: "in-order",
  children: ["alpha.txt", "beta.txt", "gamma.txt"].map((file, i) => ({
    id: `f${i}`,
    description: `hash ${file}`,
    input: file,
    capabilities: ["hash"],
  })),
};

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("BackgroundAgentExecutor with orchestrations", () => {
  it("ends a leaf that throws NonRetryableError after one attempt despite retry attempts 3", async () => {
    const { exec, attempts } = setup();
    const id = exec.spawnBackgroundAgent({
      orchestration: {
        description: "validate",
        capabilities: ["validate"],
        input: "row-7",
        retry: { attempts: 3, backoffMs: 0 },
      },
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(attempts).toHaveLength(1);
    expect(done.error).toMatchObject({
      code: "ECHELON_TEST_RECORD_INVALID",
      details: { record: "row-7", retryable: false },
    });
    expect((done.result as OrchestrationResult).metadata.retries).toBe(0);
  });

  it("runs a whole orchestration in the background and reports its result", async () => {
    const { exec } = setup();
    const progress: number[] = [];
    exec.on("background:progressed", (status) => progress.push(status.progress));
    const id = exec.spawnBackgroundAgent({ orchestration: hashThree });
    expect(exec.getAgentStatus(id)).toMatchObject({
      kind: "orchestration",
      state: "running",
      name: hashThree.description,
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("completed");
    expect(done.progress).toBe(100);
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBeGreaterThan(0);
    const result = done.result as OrchestrationResult;
    expect(result.success).toBe(true);
    expect(result.orchestrationId).toBe(id);
    expect((result.result as Array<{ sha256: string }>).map((r) => r.sha256)).toEqual([
      await sha256Of("alpha.txt"),
      await sha256Of("beta.txt"),
      await sha256Of("gamma.txt"),
    ]);
  });

  it("hands workflowData to the orchestration root as its input", async () => {
    const { exec } = setup();
    const id = exec.spawnBackgroundAgent({
      task: { description: "hash one file", capabilities: ["hash"] },
      workflowData: "beta.txt",
    });
    const done = await finished(exec, id);
    expect((done.result as OrchestrationResult).result).toMatchObject({ sha256: await sha256Of("beta.txt") });
  });

  it("pauses an orchestration (no new leaves) and resumes it to completion", async () => {
    const { exec, orchestrator, leaves } = setup();
    const patternStarted = new Promise<void>((resolve) => {
      const off = orchestrator.events.on("pattern:started", () => {
        off();
        resolve();
      });
    });
    const id = exec.spawnBackgroundAgent({ orchestration: hashThree, id: "paused-run" });
    expect(exec.pauseAgent(id).state).toBe("paused");
    await patternStarted;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(leaves).toHaveLength(0);
    expect(exec.getAgentStatus(id).state).toBe("paused");
    const resumed = next(exec, "background:resumed", id);
    exec.resumeAgent(id);
    expect((await resumed).state).toBe("running");
    const done = await finished(exec, id);
    expect(done.state).toBe("completed");
    expect(leaves.map((w) => w.input)).toEqual(["alpha.txt", "beta.txt", "gamma.txt"]);
  });

  it("terminates a running orchestration by cancelling it", async () => {
    const { exec, orchestrator } = setup();
    const id = exec.spawnBackgroundAgent({
      orchestration: { description: "count many primes", capabilities: ["primes"], input: 1e9 },
    });
    await new Promise<void>((resolve) => {
      const off = orchestrator.events.on("task:progressed", () => {
        off();
        resolve();
      });
    });
    const status = await exec.terminateAgent(id);
    expect(status.state).toBe("terminated");
    expect(status.result).toMatchObject({ success: false, state: "cancelled" });
    expect(orchestrator.getOrchestrationStatus(id).state).toBe("cancelled");
  });

  it("terminates a paused orchestration", async () => {
    const { exec, orchestrator } = setup();
    const id = exec.spawnBackgroundAgent({ orchestration: hashThree });
    exec.pauseAgent(id);
    const status = await exec.terminateAgent(id);
    expect(status.state).toBe("terminated");
    expect(orchestrator.getOrchestrationStatus(id).state).toBe("cancelled");
  });

  it("records a failed orchestration with its coded error", async () => {
    const { exec } = setup();
    const id = exec.spawnBackgroundAgent({
      orchestration: { description: "hash a missing file", capabilities: ["hash"], input: "missing.txt" },
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.TASK_FAILED);
    expect(done.result).toMatchObject({ success: false, state: "failed" });
  });

  it("fails a run whose spec the orchestrator rejects", async () => {
    const { exec } = setup();
    const id = exec.spawnBackgroundAgent({
      orchestration: {
        description: "x",
        pattern: "no-such-pattern",
        children: [{ description: "a" }, { description: "b" }],
      },
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.PATTERN_UNKNOWN);
  });
});

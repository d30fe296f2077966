import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type Agent,
  type AgentType,
  CoreErrorCode,
  EchelonError,
  functionAgent,
  NonRetryableError,
} from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { BackgroundAgentExecutor, BackgroundErrorCode } from "../src/index.js";
import { countPrimes, finished, fixture, hashFile, next, sha256Of } from "./helpers.js";

const executors: BackgroundAgentExecutor[] = [];
function executor(maxParallel = 2, terminateGraceMs?: number): BackgroundAgentExecutor {
  const created = new BackgroundAgentExecutor({
    maxParallel,
    ...(terminateGraceMs !== undefined ? { terminateGraceMs } : {}),
  });
  executors.push(created);
  return created;
}

function thrown(fn: () => unknown): EchelonError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EchelonError);
    return error as EchelonError;
  }
  throw new Error("expected a throw");
}

/**
 * An agent type like a process or thread runtime: its work ignores the abort and keeps
 * hashing until the agent is disposed (the runtime killing its process), then rejects.
 */
function stubbornType(disposed: string[]): AgentType {
  return {
    name: "stubborn",
    capabilities: [],
    capacity: 1,
    spawn(id) {
      let stopped = false;
      return {
        id,
        type: "stubborn",
        capabilities: [],
        capacity: 1,
        async execute(work, context) {
          let digest = String(work.input);
          for (let i = 0; !stopped; i++) {
            digest = createHash("sha256").update(digest).digest("hex");
            if (i === 0) context.report(0.01, "hashing");
            await new Promise((resolve) => setImmediate(resolve));
          }
          throw new Error(`killed while hashing at ${digest.slice(0, 8)}`);
        },
        async dispose() {
          stopped = true;
          disposed.push(id);
        },
      };
    },
  };
}

afterEach(async () => {
  await Promise.all(executors.splice(0).map((e) => e.shutdown()));
});

describe("BackgroundAgentExecutor with agents", () => {
  it("runs a function agent on a file in the background and reports progress", async () => {
    const exec = executor();
    const progressed: number[] = [];
    exec.on("background:progressed", (status) => progressed.push(status.progress));
    const id = exec.spawnBackgroundAgent({ agent: hashFile, task: "hash a file", workflowData: "alpha.txt" });
    expect(exec.getAgentStatus(id)).toMatchObject({ kind: "agent", state: "running", progress: 0 });
    const done = await exec.waitForAgent(id);
    expect(done.state).toBe("completed");
    expect(done.progress).toBe(100);
    const text = readFileSync(fixture("alpha.txt"), "utf8");
    expect(done.result).toEqual({
      file: "alpha.txt",
      sha256: await sha256Of("alpha.txt"),
      words: text.split(/\s+/).filter(Boolean).length,
    });
    expect(progressed).toEqual([50]);
    expect(done.startedAt).toBeGreaterThanOrEqual(done.createdAt);
    expect(done.endedAt).toBeGreaterThanOrEqual(done.startedAt!);
  });

  it("queues beyond maxParallel and starts runs in order", async () => {
    const exec = executor(1);
    const started: string[] = [];
    let running = 0;
    let peak = 0;
    exec.on("background:started", (s) => {
      started.push(s.id);
      peak = Math.max(peak, ++running);
    });
    exec.on("background:completed", () => running--);
    const ids = ["alpha.txt", "beta.txt", "gamma.txt"].map((file) =>
      exec.spawnBackgroundAgent({ agent: hashFile, workflowData: file, id: `hash-${file}` }),
    );
    expect(exec.getAllAgentsStatus().map((s) => s.state)).toEqual(["running", "queued", "queued"]);
    const results = await Promise.all(ids.map((id) => finished(exec, id)));
    expect(results.map((r) => r.state)).toEqual(["completed", "completed", "completed"]);
    expect(started).toEqual(ids);
    expect(peak).toBe(1);
  });

  it("spawns an instance of an AgentType and disposes it afterwards", async () => {
    const exec = executor();
    const disposed: string[] = [];
    const base = functionAgent({ name: "primes", capabilities: ["primes"] }, countPrimes);
    const type: AgentType = {
      ...base,
      spawn: async (id, context) => {
        const agent = (await base.spawn(id, context)) as Agent;
        return { ...agent, dispose: () => void disposed.push(id) };
      },
    };
    const id = exec.spawnBackgroundAgent({ agent: type, workflowData: 10_000 });
    expect((await finished(exec, id)).result).toBe(1229);
    expect(disposed).toEqual([`primes#${id}`]);
    expect(exec.getAgentStatus(id).name).toBe("primes");
  });

  it("fails a throwing agent with a coded error", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({
      agent: (work) => JSON.parse(String(work.input)) as unknown,
      workflowData: "{not json",
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.TASK_FAILED);
    expect(done.result).toBeNull();
  });

  it("fails an agent whose output is not JSON", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({
      agent: (work) => new Set(String(work.input).split("")),
      workflowData: "abracadabra",
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.RESULT_NOT_SERIALIZABLE);
  });

  it("fails a run past its timeoutMs with ECHELON_TASK_TIMEOUT", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({ agent: countPrimes, workflowData: 1e9, timeoutMs: 100 });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.TASK_TIMEOUT);
  });

  it("terminates a running agent through its signal and waits for it", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({ agent: countPrimes, workflowData: 1e9 });
    await next(exec, "background:progressed", id);
    const status = await exec.terminateAgent(id);
    expect(status.state).toBe("terminated");
    expect(status.error?.code).toBe(CoreErrorCode.CANCELLED);
    expect((await exec.terminateAgent(id)).state).toBe("terminated");
  });

  it("force-terminates work that ignores the abort, frees its slot and discards the late answer", async () => {
    const exec = executor(1);
    let finishIgnoring!: () => void;
    const ignoringDone = new Promise<void>((resolve) => {
      finishIgnoring = resolve;
    });
    const reported = next(exec, "background:progressed", "stubborn");
    const stubborn = exec.spawnBackgroundAgent({
      id: "stubborn",
      agent: async (work, context) => {
        let digest = String(work.input);
        for (let i = 0; i < 200; i++) {
          digest = createHash("sha256").update(digest).digest("hex");
          if (i === 0) context.report(0.01);
          await new Promise((resolve) => setImmediate(resolve));
        }
        finishIgnoring();
        return digest;
      },
      workflowData: "seed",
    });
    const waiting = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "gamma.txt" });
    await reported;
    const status = await exec.terminateAgent(stubborn, { force: true });
    expect(status.state).toBe("terminated");
    expect(exec.getAgentStatus(waiting).state).toBe("running");
    await ignoringDone;
    await finished(exec, waiting);
    expect(exec.getAgentStatus(stubborn)).toMatchObject({ state: "terminated", result: null });
  });

  it("terminates work that ignores the abort after the grace period, disposing the agent it spawned", async () => {
    const exec = executor(1, 150);
    const disposed: string[] = [];
    const id = exec.spawnBackgroundAgent({ agent: stubbornType(disposed), workflowData: "seed" });
    const queued = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "alpha.txt" });
    await next(exec, "background:progressed", id);
    const started = performance.now();
    const status = await exec.terminateAgent(id);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(status.state).toBe("terminated");
    expect(status.error).toMatchObject({ code: CoreErrorCode.CANCELLED, details: { graceMs: 150 } });
    expect(disposed).toEqual([`stubborn#${id}`]);
    expect((await finished(exec, queued)).state).toBe("completed");
  });

  it("lets terminateAgent's graceMs override the executor's", async () => {
    const exec = executor(1, 60_000);
    const disposed: string[] = [];
    const id = exec.spawnBackgroundAgent({ agent: stubbornType(disposed), workflowData: "seed" });
    await next(exec, "background:progressed", id);
    expect((await exec.terminateAgent(id, { graceMs: 50 })).state).toBe("terminated");
    expect(disposed).toHaveLength(1);
  });

  it("fails a run that ignores its timeoutMs after the grace period", async () => {
    const exec = executor(1, 100);
    const disposed: string[] = [];
    const id = exec.spawnBackgroundAgent({
      agent: stubbornType(disposed),
      workflowData: "seed",
      timeoutMs: 100,
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error?.code).toBe(CoreErrorCode.TASK_TIMEOUT);
    expect(disposed).toHaveLength(1);
  });

  it("keeps the code, JSON details and 'do not retry' of a plain error thrown by an agent", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({
      agent: (work) => {
        const digest = createHash("sha256").update(String(work.input)).digest("hex");
        throw Object.assign(new Error(`quota for ${digest.slice(0, 8)} is spent`), {
          code: "ECHELON_TEST_QUOTA_SPENT",
          retryable: false,
          details: { quota: 3 },
        });
      },
      workflowData: "tenant-1",
    });
    const done = await finished(exec, id);
    expect(done.state).toBe("failed");
    expect(done.error).toMatchObject({
      code: "ECHELON_TEST_QUOTA_SPENT",
      details: { quota: 3, retryable: false },
    });
  });

  it("keeps a NonRetryableError as it is", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({
      agent: () => {
        throw new NonRetryableError("The account is closed; reopen it first.", { details: { account: 7 } });
      },
    });
    const done = await finished(exec, id);
    expect(done.error).toMatchObject({
      code: CoreErrorCode.TASK_FAILED,
      details: { account: 7, retryable: false },
    });
  });

  it("terminates a queued run before it starts", async () => {
    const exec = executor(1);
    let calls = 0;
    const first = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "alpha.txt" });
    const second = exec.spawnBackgroundAgent({
      agent: (work, context) => {
        calls++;
        return hashFile(work, context);
      },
      workflowData: "beta.txt",
    });
    expect((await exec.terminateAgent(second)).state).toBe("terminated");
    await finished(exec, first);
    expect(calls).toBe(0);
    expect(exec.getAgentStatus(second).startedAt).toBeNull();
  });

  it("keeps a paused queued run from starting until resumed", async () => {
    const exec = executor(1);
    const first = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "alpha.txt" });
    const second = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "beta.txt" });
    expect(exec.pauseAgent(second).state).toBe("paused");
    await finished(exec, first);
    expect(exec.getAgentStatus(second)).toMatchObject({ state: "paused", startedAt: null });
    expect(exec.resumeAgent(second).state).toBe("running");
    expect((await finished(exec, second)).result).toMatchObject({ file: "beta.txt" });
  });

  it("refuses to pause a running single agent task", async () => {
    const exec = executor();
    const id = exec.spawnBackgroundAgent({ agent: countPrimes, workflowData: 50_000 });
    expect(thrown(() => exec.pauseAgent(id)).code).toBe(BackgroundErrorCode.NOT_PAUSABLE);
    await finished(exec, id);
    expect(thrown(() => exec.pauseAgent(id)).code).toBe(BackgroundErrorCode.INVALID_STATE);
    expect(thrown(() => exec.resumeAgent(id)).code).toBe(BackgroundErrorCode.INVALID_STATE);
  });

  it("reports bad requests and unknown ids with codes", async () => {
    const exec = executor();
    expect(thrown(() => exec.getAgentStatus("nope")).code).toBe(BackgroundErrorCode.UNKNOWN_ID);
    await expect(exec.terminateAgent("nope")).rejects.toMatchObject({ code: BackgroundErrorCode.UNKNOWN_ID });
    expect(thrown(() => exec.spawnBackgroundAgent({})).code).toBe(BackgroundErrorCode.INVALID_REQUEST);
    expect(thrown(() => exec.spawnBackgroundAgent({ agent: 42 as unknown as Agent })).code).toBe(
      BackgroundErrorCode.INVALID_REQUEST,
    );
    expect(thrown(() => exec.spawnBackgroundAgent({ task: "do it" })).code).toBe(
      BackgroundErrorCode.NO_ORCHESTRATOR,
    );
    const id = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "alpha.txt", id: "same" });
    expect(thrown(() => exec.spawnBackgroundAgent({ agent: hashFile, id: "same" })).code).toBe(
      BackgroundErrorCode.DUPLICATE_ID,
    );
    await finished(exec, id);
    expect(() => new BackgroundAgentExecutor({ maxParallel: 0 })).toThrow(/maxParallel/);
  });

  it("shuts down: terminates queued and running runs and refuses new ones", async () => {
    const exec = executor(1);
    const running = exec.spawnBackgroundAgent({ agent: countPrimes, workflowData: 1e9 });
    const queued = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "alpha.txt" });
    await exec.shutdown();
    expect(exec.getAgentStatus(running).state).toBe("terminated");
    expect(exec.getAgentStatus(queued).state).toBe("terminated");
    expect(thrown(() => exec.spawnBackgroundAgent({ agent: hashFile })).code).toBe(
      CoreErrorCode.ORCHESTRATOR_SHUT_DOWN,
    );
  });

  it("keeps running when a listener throws", async () => {
    const exec = executor();
    exec.on("background:started", () => {
      throw new Error("listener bug");
    });
    const id = exec.spawnBackgroundAgent({ agent: hashFile, workflowData: "gamma.txt" });
    expect((await finished(exec, id)).state).toBe("completed");
  });
});

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type Agent, CoreErrorCode, EchelonError, silentLogger } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { WorkerErrorCode, type WorkerAgentOptions, workerAgent } from "../src/index.js";
import { context, work } from "./helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/hash-work.mjs", import.meta.url));
const spawned: Agent[] = [];

async function agentFor(exportName: string, extra: Partial<WorkerAgentOptions> = {}): Promise<Agent> {
  const type = workerAgent({ module: fixture, exportName, ...extra });
  const agent = await type.spawn(`${type.name}#1`, {
    level: "secondary",
    levelIndex: 1,
    logger: silentLogger,
  });
  spawned.push(agent);
  return agent;
}

async function failure(promise: Promise<unknown>): Promise<EchelonError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EchelonError);
  return error as EchelonError;
}

function chain(text: string, rounds: number): string {
  let digest = text;
  for (let i = 0; i < rounds; i++) digest = createHash("sha256").update(digest).digest("hex");
  return digest;
}

afterEach(async () => {
  await Promise.all(spawned.splice(0).map((agent) => agent.dispose?.()));
});

describe("workerAgent", () => {
  it("runs the default export on a thread and reports progress", async () => {
    const agent = await agentFor("default");
    const reports: number[] = [];
    const result = (await agent.execute(
      work({ text: "echelon", rounds: 500 }),
      context(undefined, 2, (p) => reports.push(p)),
    )) as Record<string, unknown>;
    expect(result.digest).toBe(chain("echelon", 500));
    expect(result.attempt).toBe(2);
    expect(result.key).toBe("orch-1/root/t1");
    expect(result.threadId).toBeGreaterThan(0);
    expect(reports).toEqual([0.5]);
  });

  it("runs up to capacity tasks at once on distinct threads", async () => {
    const agent = await agentFor("countPrimes", { capacity: 2 });
    const results = (await Promise.all(
      [20_000, 30_000, 40_000].map((limit, i) => agent.execute(work({ limit }, `p${i}`), context())),
    )) as Array<{ count: number; threadId: number }>;
    expect(results.map((r) => r.count)).toEqual([2262, 3245, 4203]);
    expect(new Set(results.map((r) => r.threadId)).size).toBe(2);
  });

  it("fails a throwing task with ECHELON_TASK_FAILED and keeps the thread", async () => {
    const agent = await agentFor("strictParse");
    const error = await failure(agent.execute(work({ json: '{"age": 3}' }), context()));
    expect(error.code).toBe(CoreErrorCode.TASK_FAILED);
    expect(error.message).toContain("field 'name' is missing");
    expect((error.cause as Error).name).toBe("RangeError");
    await expect(agent.execute(work({ json: '{"name": "a"}' }), context())).resolves.toEqual({ name: "a" });
  });

  it("delivers the abort into the thread; work that honours it keeps its thread", async () => {
    const agent = await agentFor("countPrimes");
    const controller = new AbortController();
    let abortedThread = "";
    const first = agent.execute(
      work({ limit: 50_000_000 }),
      context(controller.signal, 1, (_p, thread) => {
        abortedThread = thread ?? "";
        controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "stop"));
      }),
    );
    expect((await failure(first)).code).toBe(CoreErrorCode.CANCELLED);
    const next = (await agent.execute(work({ limit: 10_000 }), context())) as { threadId: number };
    expect(String(next.threadId)).toBe(abortedThread);
  });

  it("times out work that hangs and ignores the abort, then replaces its thread", async () => {
    const agent = await agentFor("hashForever", { abortGraceMs: 50 });
    const controller = new AbortController();
    let hungThread = "";
    let started!: () => void;
    const startedP = new Promise<void>((resolve) => {
      started = resolve;
    });
    const hung = failure(
      agent.execute(
        work({ hang: true }),
        context(controller.signal, 1, (_p, thread) => {
          hungThread = thread ?? "";
          started();
        }),
      ),
    );
    await startedP;
    // Time is the subject here: the hierarchy's per-task timeout aborts the signal.
    const timer = setTimeout(
      () =>
        controller.abort(
          new EchelonError(CoreErrorCode.TASK_TIMEOUT, "Task t1 exceeded its 100 ms timeout."),
        ),
      100,
    );
    expect((await hung).code).toBe(CoreErrorCode.TASK_TIMEOUT);
    clearTimeout(timer);
    // Capacity 1: the next task can only run once the hung thread was terminated and replaced.
    const fresh = (await agent.execute(work({ hang: false }), context())) as { threadId: number };
    expect(String(fresh.threadId)).not.toBe(hungThread);
  });

  it("skips work aborted while its thread was still loading the module", async () => {
    const agent = await agentFor("hashForever", { abortGraceMs: 60_000 });
    const controller = new AbortController();
    const first = failure(agent.execute(work({ hang: true }), context(controller.signal)));
    controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "changed my mind"));
    expect((await first).code).toBe(CoreErrorCode.CANCELLED);
    // Capacity 1 and a 60 s grace: this only answers if the hanging work never started.
    const next = (await agent.execute(work({ hang: false }), context())) as { threadId: number };
    expect(next.threadId).toBeGreaterThan(0);
  });

  it("discards an answer that arrives after the cancel and reuses the thread", async () => {
    const agent = await agentFor("sieveIgnoringAbort", { abortGraceMs: 60_000 });
    const controller = new AbortController();
    let lateThread = "";
    const late = agent.execute(
      work({ limit: 3_000_000 }),
      context(controller.signal, 1, (_p, thread) => {
        lateThread = thread ?? "";
        controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "cancelled"));
      }),
    );
    expect((await failure(late)).code).toBe(CoreErrorCode.CANCELLED);
    const next = (await agent.execute(work({ limit: 100 }), context())) as {
      count: number;
      threadId: number;
    };
    expect(next.count).toBe(25);
    expect(String(next.threadId)).toBe(lateThread);
  });

  it("refuses a result that cannot leave the thread", async () => {
    const agent = await agentFor("returnsFunction");
    expect((await failure(agent.execute(work("abc"), context()))).code).toBe(
      CoreErrorCode.RESULT_NOT_SERIALIZABLE,
    );
  });

  it("refuses a result that is clonable but not JSON", async () => {
    const agent = await agentFor("returnsMap");
    const error = await failure(agent.execute(work("abba"), context()));
    expect(error.code).toBe(CoreErrorCode.RESULT_NOT_SERIALIZABLE);
    expect(error.details.found).toBe("an instance of Map");
  });

  it("fails only the task of a thread that exits, then serves on a fresh thread", async () => {
    const agent = await agentFor("exitsThread");
    const error = await failure(agent.execute(work("abc"), context()));
    expect(error.code).toBe(WorkerErrorCode.CRASHED);
    expect(error.details.exitCode).toBe(3);
    expect((await failure(agent.execute(work("def"), context()))).code).toBe(WorkerErrorCode.CRASHED);
  });

  it("fails the task of a thread that throws uncaught", async () => {
    const agent = await agentFor("throwsUncaught");
    const error = await failure(agent.execute(work("abc"), context()));
    expect(error.code).toBe(WorkerErrorCode.CRASHED);
    expect(error.message).toContain("uncaught while hashing abc");
  });

  it("fails the task of a thread that exceeds its memory limit", async () => {
    const agent = await agentFor("exhaustsMemory", {
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(WorkerErrorCode.OUT_OF_MEMORY);
  });

  it("retries on a fresh thread after a crash", async () => {
    const agent = await agentFor("crashesOnFirstAttempt");
    expect((await failure(agent.execute(work("abc"), context(undefined, 1)))).code).toBe(
      WorkerErrorCode.CRASHED,
    );
    const retried = (await agent.execute(work("abc"), context(undefined, 2))) as { digest: string };
    expect(retried.digest).toBe(createHash("sha256").update("abc").digest("hex"));
  });

  it("keeps the code and the JSON details of an error thrown in the thread", async () => {
    const agent = await agentFor("rejectsRecord");
    const error = await failure(agent.execute(work("row-7"), context()));
    const digest = createHash("sha256").update("row-7").digest("hex");
    expect(error.code).toBe("ECHELON_TEST_RECORD_INVALID");
    expect(error.details).toMatchObject({ digest, line: 7 });
    expect(error.details.retryable).toBeUndefined();
  });

  it("fails a result the main thread cannot decode with a coded error instead of hanging, then replaces the thread", async () => {
    const agent = await agentFor("returnsDeepArray");
    const first = (await agent.execute(work({ text: "abc", depth: 3 }), context())) as { threadId: number };
    const error = await failure(agent.execute(work({ text: "abc", depth: 10_000 }), context()));
    expect(error.code).toBe(WorkerErrorCode.RESULT_UNREADABLE);
    expect(error.details.retryable).toBe(false);
    const next = (await agent.execute(work({ text: "abc", depth: 3 }), context())) as {
      threadId: number;
      nested: unknown;
    };
    expect(next.nested).toEqual([[[createHash("sha256").update("abc").digest("hex")]]]);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("reports an export that is not a function", async () => {
    const agent = await agentFor("notAFunction");
    const error = await failure(agent.execute(work(1), context()));
    expect(error.code).toBe(WorkerErrorCode.MODULE_INVALID);
    expect(error.message).toContain("notAFunction");
  });

  it("fails queued and running tasks on dispose", async () => {
    const agent = await agentFor("hashForever");
    const running = failure(agent.execute(work({ hang: true }, "a"), context()));
    const queued = failure(agent.execute(work({ hang: true }, "b"), context()));
    await agent.dispose?.();
    expect((await running).code).toBe(WorkerErrorCode.DISPOSED);
    expect((await queued).code).toBe(WorkerErrorCode.DISPOSED);
    expect((await failure(agent.execute(work("c"), context()))).code).toBe(WorkerErrorCode.DISPOSED);
  });

  it("rejects a task whose signal is already aborted without starting a thread", async () => {
    const agent = await agentFor("default");
    const controller = new AbortController();
    controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "gone"));
    expect(
      (await failure(agent.execute(work({ text: "a", rounds: 1 }), context(controller.signal)))).code,
    ).toBe(CoreErrorCode.CANCELLED);
  });

  it("validates its options", () => {
    expect(() => workerAgent({ module: "/no/such/file.mjs" })).toThrow(/does not exist/);
    expect(() => workerAgent({ module: fixture, capacity: 0 })).toThrow(EchelonError);
    expect(() => workerAgent({ module: "https://example.com/x.mjs" })).toThrow(/local file/);
    expect(workerAgent({ module: fixture }).name).toBe("worker:hash-work");
  });
});

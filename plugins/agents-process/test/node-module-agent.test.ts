import { fork } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Agent, CoreErrorCode, EchelonError, silentLogger } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { type NodeModuleAgentOptions, nodeModuleAgent, ProcessErrorCode } from "../src/index.js";
import { OWN_GROUP_FLAG, type RunMessage } from "../src/runner-protocol.js";
import { context, isRunning, until, work } from "./helpers.js";

const fixture = fileURLToPath(new URL("./fixtures/module-work.mjs", import.meta.url));
const spawned: Agent[] = [];

async function agentFor(exportName: string, extra: Partial<NodeModuleAgentOptions> = {}): Promise<Agent> {
  const type = nodeModuleAgent({ module: fixture, exportName, ...extra });
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

afterEach(async () => {
  await Promise.all(spawned.splice(0).map((agent) => agent.dispose?.()));
});

describe("nodeModuleAgent", () => {
  it("runs the export in a child process and returns its result over IPC", async () => {
    const agent = await agentFor("default");
    const reports: Array<string | undefined> = [];
    const result = (await agent.execute(
      work({ text: "echelon", rounds: 2 }),
      context(undefined, 3, (_p, m) => reports.push(m)),
    )) as Record<string, unknown>;
    const once = createHash("sha256").update("echelon").digest("hex");
    expect(result.digest).toBe(createHash("sha256").update(once).digest("hex"));
    expect(result.attempt).toBe(3);
    expect(result.key).toBe("orch-1/root/t1");
    expect(result.pid).not.toBe(process.pid);
    expect(isRunning(result.pid as number)).toBe(false);
    expect(reports).toEqual(["done"]);
  });

  it("fails a throwing function with ECHELON_TASK_FAILED", async () => {
    const agent = await agentFor("strictParse");
    const error = await failure(agent.execute(work({ json: "{}" }), context()));
    expect(error.code).toBe(CoreErrorCode.TASK_FAILED);
    expect(error.message).toContain("field 'name' is missing");
  });

  it("aborts the function's signal through SIGTERM", async () => {
    const agent = await agentFor("countPrimes");
    const controller = new AbortController();
    const error = await failure(
      agent.execute(
        work({ limit: 50_000_000 }),
        context(controller.signal, 1, () =>
          controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "stop")),
        ),
      ),
    );
    expect(error.code).toBe(CoreErrorCode.CANCELLED);
  });

  it("SIGKILLs a function that hangs and ignores the abort past the grace period", async () => {
    const agent = await agentFor("hashForever", { killGraceMs: 100 });
    const controller = new AbortController();
    let pid = 0;
    const error = await failure(
      agent.execute(
        work("seed"),
        context(controller.signal, 1, (_p, m) => {
          pid = Number(m);
          // Time is the subject: the task's timeout fires while the function hangs.
          setTimeout(
            () => controller.abort(new EchelonError(CoreErrorCode.TASK_TIMEOUT, "Task t1 timed out.")),
            100,
          );
        }),
      ),
    );
    expect(error.code).toBe(CoreErrorCode.TASK_TIMEOUT);
    expect(isRunning(pid)).toBe(true); // SIGTERM only aborted the function's signal …
    await until(() => !isRunning(pid)); // … SIGKILL ended the process after the grace period
  });

  it("discards a result sent after the cancel", async () => {
    const agent = await agentFor("lateSieve", { killGraceMs: 30_000 });
    const controller = new AbortController();
    const error = await failure(
      agent.execute(
        work({ limit: 2_000_000 }),
        context(controller.signal, 1, () =>
          controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "late")),
        ),
      ),
    );
    expect(error.code).toBe(CoreErrorCode.CANCELLED);
  });

  it("keeps the first answer: a result sent over IPC wins over the value returned after it", async () => {
    const agent = await agentFor("answersTwice");
    const result = await agent.execute(work("abc"), context());
    expect(result).toEqual({ answer: "first", digest: createHash("sha256").update("abc").digest("hex") });
  });

  it("ignores messages the function sends that are not runner messages", async () => {
    const agent = await agentFor("chatty");
    expect(await agent.execute(work("abc"), context())).toEqual({
      digest: createHash("sha256").update("abc").digest("hex"),
    });
  });

  it("keeps the code and the JSON details of an error thrown in the child", async () => {
    const agent = await agentFor("rejectsRecord");
    const error = await failure(agent.execute(work("row-7"), context()));
    expect(error.code).toBe("ECHELON_TEST_RECORD_INVALID");
    expect(error.details).toMatchObject({
      digest: createHash("sha256").update("row-7").digest("hex"),
      line: 7,
    });
    expect(error.details.retryable).toBeUndefined();
  });

  it("stops the child's own children on cancel: a grandchild ignoring SIGTERM is SIGKILLed after the grace period", async () => {
    const agent = await agentFor("spawnsGrandchild", { killGraceMs: 200 });
    const controller = new AbortController();
    let grandchild = 0;
    const cancelled = failure(
      agent.execute(
        work("x"),
        context(controller.signal, 1, (_p, m) => {
          grandchild = Number(m);
          controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "stop"));
        }),
      ),
    );
    expect((await cancelled).code).toBe(CoreErrorCode.CANCELLED);
    expect(isRunning(grandchild)).toBe(true);
    await until(() => !isRunning(grandchild));
  });

  it("stops its own children when its parent disappears (the IPC channel closes)", async () => {
    // The runner as nodeModuleAgent forks it, with a parent that goes away mid-task.
    const runner = fileURLToPath(new URL("../dist/node-runner.js", import.meta.url));
    const child = fork(runner, [OWN_GROUP_FLAG], {
      detached: true,
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, sig) => resolve(sig)),
    );
    const grandchild = new Promise<number>((resolve) =>
      child.on("message", (m: { t: string; message?: string }) => {
        if (m.t === "progress") resolve(Number(m.message));
      }),
    );
    child.send({
      t: "run",
      moduleUrl: pathToFileURL(fixture).href,
      exportName: "spawnsGrandchild",
      work: work("x"),
      attempt: 1,
      idempotencyKey: "k",
      orchestrationId: "o",
      level: "secondary",
    } satisfies RunMessage);
    const pid = await grandchild;
    expect(isRunning(pid)).toBe(true);
    child.disconnect();
    expect(await exited).toBe("SIGKILL");
    await until(() => !isRunning(pid));
  });

  it("refuses results that are not JSON", async () => {
    expect((await failure((await agentFor("returnsFunction")).execute(work("a"), context()))).code).toBe(
      CoreErrorCode.RESULT_NOT_SERIALIZABLE,
    );
    const map = await failure((await agentFor("returnsMap")).execute(work("abba"), context()));
    expect(map.code).toBe(CoreErrorCode.RESULT_NOT_SERIALIZABLE);
    expect(map.details.found).toBe("an instance of Map");
  });

  it("fails exit 0 without a result as ECHELON_PROCESS_NO_RESULT", async () => {
    const agent = await agentFor("exitsZero");
    expect((await failure(agent.execute(work("a"), context()))).code).toBe(ProcessErrorCode.NO_RESULT);
  });

  it("fails a crash (exit code, SIGKILL, uncaught throw) with ECHELON_PROCESS_EXITED", async () => {
    const exit3 = await failure((await agentFor("exitsThree")).execute(work("a"), context()));
    expect(exit3).toMatchObject({ code: ProcessErrorCode.EXITED, details: { exitCode: 3 } });
    const killed = await failure((await agentFor("killsItself")).execute(work("a"), context()));
    expect(killed).toMatchObject({ code: ProcessErrorCode.EXITED, details: { signal: "SIGKILL" } });
    const uncaught = await failure((await agentFor("throwsUncaught")).execute(work("abc"), context()));
    expect(uncaught.code).toBe(ProcessErrorCode.EXITED);
    expect(uncaught.details.stderrTail).toContain("uncaught while hashing abc");
  });

  it("reports an export that is not a function", async () => {
    const error = await failure((await agentFor("notAFunction")).execute(work(1), context()));
    expect(error.code).toBe(ProcessErrorCode.MODULE_INVALID);
  });

  it("kills its child on dispose", async () => {
    const agent = await agentFor("hashForever", { killGraceMs: 50 });
    let pid = 0;
    const running = failure(
      agent.execute(
        work("x"),
        context(undefined, 1, (_p, m) => (pid = Number(m))),
      ),
    );
    await until(() => pid > 0);
    expect(isRunning(pid)).toBe(true);
    await agent.dispose?.();
    expect((await running).code).toBe(ProcessErrorCode.DISPOSED);
    expect(isRunning(pid)).toBe(false);
  });

  it("validates its options", () => {
    expect(() => nodeModuleAgent({ module: "/no/such/module.mjs" })).toThrow(/does not exist/);
    expect(() => nodeModuleAgent({ module: fixture, capacity: 1.5 })).toThrow(EchelonError);
    expect(nodeModuleAgent({ module: fixture }).name).toBe("node:module-work");
  });
});

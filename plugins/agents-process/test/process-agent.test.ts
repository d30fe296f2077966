import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Agent, type AgentType, CoreErrorCode, EchelonError, silentLogger } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { type ProcessAgentOptions, ProcessErrorCode, processAgent } from "../src/index.js";
import { context, isRunning, pidFrom, until, work } from "./helpers.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const node = process.execPath;
const spawned: Agent[] = [];

async function agentOf(type: AgentType): Promise<Agent> {
  const agent = await type.spawn(`${type.name}#1`, {
    level: "secondary",
    levelIndex: 1,
    logger: silentLogger,
  });
  spawned.push(agent);
  return agent;
}

function misbehaving(mode: string, extra: Partial<ProcessAgentOptions> = {}): Promise<Agent> {
  return agentOf(
    processAgent({ command: node, args: [fixture("misbehave.mjs"), mode], input: "none", ...extra }),
  );
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

describe("processAgent", () => {
  it("sends the work as JSON on stdin and parses JSON from stdout", async () => {
    const agent = await agentOf(processAgent({ command: node, args: [fixture("hash-stdin.mjs")] }));
    const result = await agent.execute(work({ text: "echelon", rounds: 3 }), context(undefined, 2));
    let expected = "echelon";
    for (let i = 0; i < 3; i++) expected = createHash("sha256").update(expected).digest("hex");
    expect(result).toEqual({ digest: expected, attempt: 2, key: "orch-1/root/t1", envKey: "orch-1/root/t1" });
  });

  it("passes placeholders and the argv input as whole arguments, never through a shell", async () => {
    const agent = await agentOf(
      processAgent({
        command: node,
        args: [fixture("word-count.mjs"), "{taskId}", "{description}", "x-{input}"],
        input: "argv",
      }),
    );
    const result = (await agent.execute(work(fixture("words.txt"), "count; rm -rf /"), context())) as {
      args: string[];
      lines: number;
      words: number;
    };
    expect(result.args).toEqual([
      "count; rm -rf /",
      "task count; rm -rf /",
      "x-{input}",
      fixture("words.txt"),
    ]);
    expect(result).toMatchObject({ lines: 3, words: 9 });
  });

  it("returns stdout as text in text mode", async () => {
    const agent = await misbehaving("text", {
      args: [fixture("misbehave.mjs"), "text", "{input}"],
      output: "text",
    });
    expect(await agent.execute(work("abc"), context())).toBe(
      createHash("sha256").update("abc").digest("hex"),
    );
  });

  it("fails a non-zero exit with ECHELON_PROCESS_EXITED, the code and the stderr tail", async () => {
    const agent = await misbehaving("fail");
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(ProcessErrorCode.EXITED);
    expect(error.details.exitCode).toBe(3);
    expect(error.details.stderrTail).toMatch(/cannot parse record [0-9a-f]{8}/);
  });

  it("stops a process that hangs and ignores SIGTERM: timeout, then SIGKILL", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "echelon-process-")), "pid");
    const agent = await misbehaving("hang", { killGraceMs: 100, env: { PID_FILE: pidFile } });
    const controller = new AbortController();
    const hung = failure(agent.execute(work(null), context(controller.signal)));
    await until(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").length > 0);
    const pid = Number(readFileSync(pidFile, "utf8"));
    // Time is the subject: the hierarchy's per-task timeout fires while the child hangs.
    setTimeout(
      () => controller.abort(new EchelonError(CoreErrorCode.TASK_TIMEOUT, "Task t1 timed out.")),
      100,
    );
    expect((await hung).code).toBe(CoreErrorCode.TASK_TIMEOUT);
    expect(isRunning(pid)).toBe(true); // it ignored SIGTERM …
    await until(() => !isRunning(pid)); // … and SIGKILL followed after the grace period
  });

  it("stops the whole process group on timeout: a grandchild started by a shell is gone after the grace period", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "echelon-process-")), "pid");
    const agent = await agentOf(
      processAgent({
        command: "sh",
        args: ["-c", 'sleep 30 & echo $! > "$PID_FILE"; wait'],
        input: "none",
        timeoutMs: 1000,
        killGraceMs: 100,
        env: { PID_FILE: pidFile },
      }),
    );
    const timedOut = failure(agent.execute(work(null), context()));
    const grandchild = await pidFrom(pidFile);
    expect(isRunning(grandchild)).toBe(true);
    expect((await timedOut).code).toBe(CoreErrorCode.TASK_TIMEOUT);
    await until(() => !isRunning(grandchild));
  });

  it("SIGKILLs a grandchild that ignores SIGTERM after the grace period, though its parent already exited", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "echelon-process-")), "pid");
    const agent = await misbehaving("grandchild", { killGraceMs: 300, env: { PID_FILE: pidFile } });
    const controller = new AbortController();
    const cancelled = failure(agent.execute(work(null), context(controller.signal)));
    const grandchild = await pidFrom(pidFile);
    controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "stop"));
    expect((await cancelled).code).toBe(CoreErrorCode.CANCELLED);
    expect(isRunning(grandchild)).toBe(true); // it ignores SIGTERM …
    await until(() => !isRunning(grandchild)); // … and the group's SIGKILL ends it
  });

  it("stops the grandchildren of its processes on dispose", async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), "echelon-process-")), "pid");
    const agent = await agentOf(
      processAgent({
        command: "sh",
        args: ["-c", 'sleep 30 & echo $! > "$PID_FILE"; wait'],
        input: "none",
        killGraceMs: 100,
        env: { PID_FILE: pidFile },
      }),
    );
    const running = failure(agent.execute(work(null), context()));
    const grandchild = await pidFrom(pidFile);
    await agent.dispose?.();
    expect((await running).code).toBe(ProcessErrorCode.DISPOSED);
    await until(() => !isRunning(grandchild));
  });

  it("applies its own timeoutMs and discards an answer given after the stop", async () => {
    const agent = await misbehaving("late", { timeoutMs: 1000, killGraceMs: 5000 });
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(CoreErrorCode.TASK_TIMEOUT);
    expect(error.details.timeoutMs).toBe(1000);
  });

  it("fails exit 0 with unparsable output as ECHELON_PROCESS_OUTPUT_INVALID", async () => {
    const agent = await misbehaving("not-json");
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(ProcessErrorCode.OUTPUT_INVALID);
    expect(String(error.details.stdoutHead)).toMatch(/^digest: /);
  });

  it("fails exit 0 without a result as ECHELON_PROCESS_OUTPUT_INVALID", async () => {
    const agent = await misbehaving("silent");
    expect((await failure(agent.execute(work(null), context()))).code).toBe(ProcessErrorCode.OUTPUT_INVALID);
  });

  it("reports a child killed by SIGKILL", async () => {
    const agent = await misbehaving("sigkill");
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(ProcessErrorCode.EXITED);
    expect(error.details.signal).toBe("SIGKILL");
  });

  it("kills a child that floods stdout past maxOutputBytes", async () => {
    const agent = await misbehaving("flood", { maxOutputBytes: 4096 });
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(ProcessErrorCode.OUTPUT_TOO_LARGE);
  });

  it("reports a command that does not exist", async () => {
    const agent = await agentOf(processAgent({ command: "/nonexistent/echelon-tool", input: "none" }));
    const error = await failure(agent.execute(work(null), context()));
    expect(error.code).toBe(ProcessErrorCode.SPAWN_FAILED);
    expect(error.details.errno).toBe("ENOENT");
  });

  it("never starts a task whose signal is already aborted", async () => {
    const agent = await agentOf(processAgent({ command: node, args: [fixture("hash-stdin.mjs")] }));
    const controller = new AbortController();
    controller.abort(new EchelonError(CoreErrorCode.CANCELLED, "gone"));
    const error = await failure(agent.execute(work({ text: "a", rounds: 1 }), context(controller.signal)));
    expect(error.code).toBe(CoreErrorCode.CANCELLED);
  });

  it("kills running children on dispose and fails their tasks", async () => {
    const agent = await misbehaving("hang", { killGraceMs: 50 });
    const running = failure(agent.execute(work(null), context()));
    await agent.dispose?.();
    expect((await running).code).toBe(ProcessErrorCode.DISPOSED);
    expect((await failure(agent.execute(work(null), context()))).code).toBe(ProcessErrorCode.DISPOSED);
  });

  it("validates its options", () => {
    expect(() => processAgent({ command: "" })).toThrow(EchelonError);
    expect(() => processAgent({ command: "ls", args: "-la" as unknown as string[] })).toThrow(
      /array of strings/,
    );
    expect(() => processAgent({ command: "ls", input: "shell" as "none" })).toThrow(/input/);
    expect(() => processAgent({ command: "ls", killGraceMs: -1 })).toThrow(/killGraceMs/);
    expect(processAgent({ command: "/usr/bin/sha256sum" }).name).toBe("process:sha256sum");
  });
});

import { EchelonError } from "@echelon/core";
import { describe, expect, it } from "vitest";
import { failingAgent, hangingAgent, recordingAgent, slowAgent, TestingErrorCode } from "../src/index.js";

const ctx = (signal: AbortSignal) => ({
  signal,
  attempt: 1,
  idempotencyKey: "run/t",
  orchestrationId: "run",
  level: "executor",
  report() {},
  logger: { debug() {}, info() {}, warn() {}, error() {} },
});
const work = (input: unknown) => ({
  taskId: "t",
  nodePath: "t",
  description: "t",
  input,
  capabilities: [],
  priority: 0,
  metadata: {},
});

describe("test agents", () => {
  it("recordingAgent echoes by default and records the call", async () => {
    const agent = recordingAgent();
    await expect(agent.execute(work(7), ctx(new AbortController().signal))).resolves.toBe(7);
    expect(agent.calls).toHaveLength(1);
    expect(agent.calls[0]).toMatchObject({ taskId: "t", input: 7, state: "completed", sawAbort: false });
    expect(agent.running).toBe(0);
    expect(agent.maxRunning).toBe(1);
  });

  it("failingAgent throws a coded injected failure only for the selected work", async () => {
    const agent = failingAgent({ failWhen: (w) => w.input === 2 });
    await expect(agent.execute(work(1), ctx(new AbortController().signal))).resolves.toBe(1);
    const error = await agent.execute(work(2), ctx(new AbortController().signal)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EchelonError);
    expect((error as EchelonError).code).toBe(TestingErrorCode.INJECTED_FAILURE);
    expect(agent.calls.map((c) => c.state)).toEqual(["completed", "failed"]);
  });

  it("slowAgent rejects with ECHELON_CANCELLED when its signal aborts, and records that it saw the abort", async () => {
    const agent = slowAgent(60_000);
    const controller = new AbortController();
    const pending = agent.execute(work(1), ctx(controller.signal));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "ECHELON_CANCELLED" });
    expect(agent.calls[0]).toMatchObject({ state: "failed", sawAbort: true });
  });

  it("slowAgent answers after its delay", async () => {
    const agent = slowAgent(5, { fn: (w) => Number(w.input) + 1 });
    await expect(agent.execute(work(1), ctx(new AbortController().signal))).resolves.toBe(2);
  });

  it("hangingAgent ignores abort and stays running", async () => {
    const agent = hangingAgent();
    const controller = new AbortController();
    void agent.execute(work(1), ctx(controller.signal));
    controller.abort();
    await new Promise((r) => setTimeout(r, 10));
    expect(agent.calls[0]).toMatchObject({ state: "running", sawAbort: true });
    expect(agent.running).toBe(1);
  });
});

import { EventBus } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { createSagaPattern, SagaErrorCode } from "../src/index.js";
import { Recorder } from "@echelon/testing";
import { by, detailsOf, type SagaDetails, sagaEvents, step } from "./saga-helpers.js";

describe("saga: happy path", () => {
  it("runs the steps in order and reports every output", async () => {
    const rec = new Recorder();
    const bus = new EventBus();
    const events = sagaEvents(bus);
    const run = await runPatternOnSlices(
      createSagaPattern(),
      [step("a"), step("b"), step("c")],
      [rec.agent(by({}))],
      {
        events: bus,
      },
    );
    expect(run.status).toBe("completed");
    expect(run.result).toEqual({ a: "out:a", b: "out:b", c: "out:c" });
    expect(rec.marks.filter((m) => m.kind === "start").map((m) => m.key)).toEqual(["a", "b", "c"]);
    expect(rec.maxRunning).toBe(1);
    const details = run.details as unknown as SagaDetails;
    expect(details).toMatchObject({
      failedStep: null,
      stepsRun: ["a", "b", "c"],
      compensated: [],
      cancelled: false,
    });
    expect(events).toEqual(["saga:stepCompleted:a", "saga:stepCompleted:b", "saga:stepCompleted:c"]);
  });
});

describe("saga: failure and compensation", () => {
  it("compensates the completed steps in reverse order, by handler or by compensating task", async () => {
    const rec = new Recorder();
    const bus = new EventBus();
    const events = sagaEvents(bus);
    const saga = createSagaPattern();
    const undone: string[] = [];
    saga.registerCompensationHandler("a", (output, ctx) => {
      expect(ctx.signal.aborted).toBe(false);
      undone.push(`handler:a:${String(output)}`);
    });
    const agent = rec.agent((w) => {
      if (w.taskId === "b:compensate")
        undone.push(`task:b:${String((w.input as { output: unknown }).output)}`);
      return w.taskId === "c" ? { fail: "card declined" } : { output: `out:${w.taskId}` };
    });
    const run = await runPatternOnSlices(
      saga,
      [step("a"), step("b", "refund"), step("c", "void"), step("d")],
      [agent],
      {
        events: bus,
      },
    );
    expect(run.success).toBe(false);
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
    expect(run.error?.cause?.message).toContain("card declined");
    expect(undone).toEqual(["task:b:out:b", "handler:a:out:a"]);
    const details = detailsOf(run);
    expect(details).toMatchObject({
      outcome: "compensated",
      failedStep: "c",
      stepsRun: ["a", "b", "c"],
      completed: ["a", "b"],
      compensated: ["b", "a"],
      notCompensable: [],
      cancelled: false,
    });
    expect(
      details.steps.map((s) => [s.step, s.status, s.compensation ?? null, s.compensationVia ?? null]),
    ).toEqual([
      ["a", "completed", "compensated", "handler"],
      ["b", "completed", "compensated", "task"],
      ["c", "failed", null, null],
      ["d", "not-run", null, null],
    ]);
    expect(events).toEqual([
      "saga:stepCompleted:a",
      "saga:stepCompleted:b",
      "saga:stepFailed:c",
      "saga:stepCompensated:b",
      "saga:stepCompensated:a",
    ]);
    expect(rec.startOf("d")).toBeUndefined();
  });

  it("records a step without compensation as notCompensable, explicitly", async () => {
    const rec = new Recorder();
    const bus = new EventBus();
    const events = sagaEvents(bus);
    const run = await runPatternOnSlices(
      createSagaPattern(),
      [step("a"), step("b", "undo-b"), step("c")],
      [rec.agent(by({ c: { fail: "boom" } }))],
      { events: bus },
    );
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
    expect(run.error?.details).toMatchObject({ compensated: ["b"], notCompensable: ["a"] });
    expect(events).toContain("saga:compensationSkipped:a");
  });

  it("finds a handler named by metadata.compensate", async () => {
    const saga = createSagaPattern();
    const undone: unknown[] = [];
    saga.registerCompensationHandler("release-seat", (output) => undone.push(output));
    const run = await runPatternOnSlices(
      saga,
      [step("seat", "release-seat"), step("pay")],
      [new Recorder().agent(by({ pay: { fail: "no funds" } }))],
    );
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
    expect(undone).toEqual(["out:seat"]);
  });

  it("retries a compensation by its policy", async () => {
    const saga = createSagaPattern({ compensationRetry: { attempts: 3, backoffMs: 1 } });
    let calls = 0;
    saga.registerCompensationHandler("a", (_output, ctx) => {
      calls++;
      if (ctx.attempt < 3) throw new Error(`transient ${ctx.attempt}`);
    });
    const run = await runPatternOnSlices(
      saga,
      [step("a"), step("b")],
      [new Recorder().agent(by({ b: { fail: "x" } }))],
    );
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
    expect(calls).toBe(3);
    expect(detailsOf(run).steps[0]).toMatchObject({
      compensation: "compensated",
      compensationAttempts: 3,
    });
  });

  it("leaves the saga compensation-failed when a compensation finally fails, and still compensates the rest", async () => {
    const bus = new EventBus();
    const events = sagaEvents(bus);
    const saga = createSagaPattern({ compensationRetry: { attempts: 2, backoffMs: 1 } });
    const undone: string[] = [];
    saga.registerCompensationHandler("a", () => {
      undone.push("a");
    });
    saga.registerCompensationHandler("b", () => {
      throw new Error("refund service down");
    });
    const slices = [step("a"), step("b"), step("c")];
    const agent = new Recorder().agent(by({ c: { fail: "ledger closed" } }));
    const run = await runPatternOnSlices(saga, slices, [agent], { events: bus });
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATION_FAILED);
    expect(run.error?.cause?.message).toContain("ledger closed");
    const details = detailsOf(run);
    expect(details).toMatchObject({ failedStep: "c", compensated: ["a"], compensationFailed: ["b"] });
    expect(details.steps[1]).toMatchObject({ compensation: "failed", compensationAttempts: 2 });
    expect(details.steps[1]?.compensationError?.message).toContain("refund service down");
    expect(undone).toEqual(["a"]);
    expect(events).toContain("saga:compensationFailed:b");

    const stopped = await runPatternOnSlices(saga, slices, [agent], {
      options: { onCompensationFailure: "stop" },
    });
    expect(stopped.error?.code).toBe(SagaErrorCode.COMPENSATION_FAILED);
    expect(detailsOf(stopped).steps[0]?.compensation).toBe("not-attempted");
  });

  it("times out a hanging compensation attempt through its signal", async () => {
    const saga = createSagaPattern();
    let sawAbort = 0;
    saga.registerCompensationHandler(
      "a",
      (_output, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort++;
            reject(ctx.signal.reason);
          });
        }),
      { retry: { attempts: 2, backoffMs: 1, timeoutMs: 20 } },
    );
    const run = await runPatternOnSlices(
      saga,
      [step("a"), step("b")],
      [new Recorder().agent(by({ b: { fail: "x" } }))],
    );
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATION_FAILED);
    const record = detailsOf(run).steps[0];
    expect(record?.compensationError?.code).toBe(SagaErrorCode.COMPENSATION_TIMEOUT);
    expect(sawAbort).toBe(2);
  });
});

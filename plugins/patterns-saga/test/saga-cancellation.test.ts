import type { TaskSlice } from "@echelon/core";
import { runPatternOnSlices } from "@echelon/core/plugin";
import { describe, expect, it } from "vitest";
import { createSagaPattern, SagaErrorCode } from "../src/index.js";
import { Recorder } from "@echelon/testing";
import { by, step } from "./saga-helpers.js";

describe("saga: cancellation", () => {
  it("compensates the completed steps (not cancellable) and throws COMPENSATED with cancelled: true", async () => {
    const rec = new Recorder();
    const controller = new AbortController();
    const agent = rec.agent((w) => {
      if (w.taskId === "c") queueMicrotask(() => controller.abort());
      if (w.taskId.endsWith(":compensate")) return { rounds: 3, output: "undone" };
      return { rounds: w.taskId === "c" ? 1000 : 1 };
    });
    const run = await runPatternOnSlices(
      createSagaPattern(),
      [step("a", "u"), step("b", "u"), step("c", "u")],
      [agent],
      {
        signal: controller.signal,
      },
    );
    rec.stop();
    expect(run.status).toBe("cancelled");
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATED);
    expect(run.error?.cause?.code).toBe("ECHELON_CANCELLED");
    expect(run.error?.details).toMatchObject({
      outcome: "compensated",
      cancelled: true,
      failedStep: "c",
      compensated: ["b", "a"],
    });
    expect(rec.endOf("c")?.outcome).toBe("aborted");
    expect(rec.endOf("b:compensate")?.outcome).toBe("completed");
    expect(rec.endOf("a:compensate")?.outcome).toBe("completed");
    expect(rec.running.size).toBe(0);
    await rec.drain();
    expect(rec.workAfterStop + rec.startsAfterStop).toBe(0);
  });

  it("cancelled before it starts: the saga never starts, nothing runs, ECHELON_CANCELLED", async () => {
    const controller = new AbortController();
    controller.abort();
    const rec = new Recorder();
    const run = await runPatternOnSlices(createSagaPattern(), [step("a")], [rec.agent(by({}))], {
      signal: controller.signal,
    });
    expect(run.status).toBe("cancelled");
    expect(run.error?.code).toBe("ECHELON_CANCELLED");
    expect(run.outcomes).toEqual([{ id: "a", status: "cancelled" }]);
    expect(rec.marks).toEqual([]);
  });

  it("a compensation that fails during cancellation leaves the saga compensation-failed", async () => {
    const controller = new AbortController();
    const saga = createSagaPattern({ compensationRetry: { attempts: 2, backoffMs: 1 } });
    saga.registerCompensationHandler("a", () => {
      throw new Error("cannot undo");
    });
    const agent = new Recorder().agent((w) => {
      if (w.taskId === "b") queueMicrotask(() => controller.abort());
      return { rounds: w.taskId === "b" ? 1000 : 1 };
    });
    const run = await runPatternOnSlices(saga, [step("a"), step("b")], [agent], {
      signal: controller.signal,
    });
    expect(run.status).toBe("cancelled");
    expect(run.error?.code).toBe(SagaErrorCode.COMPENSATION_FAILED);
    expect(run.error?.cause?.code).toBe("ECHELON_CANCELLED");
    expect(run.error?.details).toMatchObject({
      outcome: "compensation-failed",
      cancelled: true,
      compensationFailed: ["a"],
    });
  });
});

describe("saga: bad input", () => {
  const agent = new Recorder().agent(by({}));
  it("rejects duplicate steps, steps depending on later steps, and bad options", async () => {
    // Refused before any work: by the saga's checkOptions, or by core's slice checks (duplicate ids).
    const codeOf = async (slices: TaskSlice[], options: Record<string, unknown> = {}) => {
      try {
        return (await runPatternOnSlices(createSagaPattern(), slices, [agent], { options })).error?.code;
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(await codeOf([step("a"), step("a")])).toBe("ECHELON_CONFIG_INVALID");
    const saga = createSagaPattern();
    const asChild = (id: string) => ({
      id,
      description: id,
      input: null,
      dependsOn: [],
      capabilities: [],
      priority: 0,
      composite: false,
      hasCompensation: false,
      metadata: {},
    });
    expect(() => saga.checkOptions!({}, [asChild("a"), asChild("a")])).toThrow(
      expect.objectContaining({ code: SagaErrorCode.DUPLICATE_STEP }),
    );
    expect(await codeOf([{ sliceId: "a", content: 1, dependencies: ["b"] }, step("b")])).toBe(
      SagaErrorCode.STEP_ORDER,
    );
    expect(await codeOf([step("a")], { compensationRetry: { attempts: 0 } })).toBe(
      SagaErrorCode.INVALID_OPTIONS,
    );
    expect(await codeOf([step("a")], { compensationRetry: 3 })).toBe(SagaErrorCode.INVALID_OPTIONS);
    expect(await codeOf([step("a")], { onCompensationFailure: "ignore" })).toBe(
      SagaErrorCode.INVALID_OPTIONS,
    );
  });

  it("refuses to silently replace a compensation handler", () => {
    const saga = createSagaPattern();
    saga.registerCompensationHandler("a", () => {});
    expect(() => saga.registerCompensationHandler("a", () => {})).toThrow(
      expect.objectContaining({ code: SagaErrorCode.DUPLICATE_HANDLER }),
    );
    saga.registerCompensationHandler("a", () => {}, { override: true });
    expect(saga.compensationHandlers()).toEqual(["a"]);
    expect(() => saga.registerCompensationHandler("b", () => {}, { retry: { backoffMs: -1 } })).toThrow(
      expect.objectContaining({ code: SagaErrorCode.INVALID_OPTIONS }),
    );
  });
});

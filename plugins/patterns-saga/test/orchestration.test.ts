import { functionAgent, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { sagaPattern } from "../src/index.js";

describe("saga inside an orchestration", () => {
  let orchestrator: HierarchicalOrchestrator | undefined;
  afterEach(async () => {
    await orchestrator?.shutdown();
  });

  it("compensates completed steps through their compensating tasks and handlers", async () => {
    const ledger: string[] = [];
    const saga = sagaPattern({ compensationRetry: { attempts: 2, backoffMs: 1 } });
    saga.pattern.registerCompensationHandler("reserve", (output) => {
      ledger.push(`release ${String(output)}`);
    });
    orchestrator = new HierarchicalOrchestrator({
      plugins: [saga],
      agents: [
        functionAgent({ capacity: 2 }, (work) => {
          if (work.taskId === "ship") throw new Error("no courier available");
          if (work.description === "refund card") {
            const { output } = work.input as { output: string };
            ledger.push(`refund ${output}`);
            return "refunded";
          }
          ledger.push(`do ${work.taskId}`);
          return `${work.taskId}-42`;
        }),
      ],
    });
    const result = await orchestrator.orchestrateComplexTask({
      id: "order",
      description: "place an order",
      pattern: "saga",
      children: [
        { id: "reserve", description: "reserve stock" },
        { id: "charge", description: "charge card", compensate: { description: "refund card" } },
        { id: "ship", description: "ship parcel" },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(result.error?.details).toMatchObject({ failedStep: "ship", compensated: ["charge", "reserve"] });
    expect(ledger).toEqual(["do reserve", "do charge", "refund charge-42", "release reserve-42"]);
  });

  it("compensates when the orchestration is cancelled mid-step, and the compensation is not cancelled", async () => {
    const ledger: string[] = [];
    const saga = sagaPattern();
    saga.pattern.registerCompensationHandler("reserve", (output, ctx) => {
      ledger.push(`release ${String(output)} (signal aborted: ${ctx.signal.aborted})`);
    });
    const current = new HierarchicalOrchestrator({
      plugins: [saga],
      agents: [
        functionAgent({ capacity: 2 }, (work, ctx) => {
          if (work.taskId !== "wait") return `${work.taskId}-1`;
          return new Promise((_resolve, reject) => {
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
            queueMicrotask(() => current.cancelOrchestration("o-cancel"));
          });
        }),
      ],
    });
    orchestrator = current;
    const result = await current.orchestrateComplexTask(
      {
        description: "reserve then wait",
        pattern: "saga",
        children: [
          { id: "reserve", description: "reserve" },
          { id: "wait", description: "wait for approval" },
        ],
      },
      { orchestrationId: "o-cancel" },
    );
    expect(result.success).toBe(false);
    expect(result.state).toBe("cancelled");
    expect(result.error?.code).toBe("ECHELON_SAGA_COMPENSATED");
    expect(result.error?.details).toMatchObject({ cancelled: true, compensated: ["reserve"] });
    expect(ledger).toEqual(["release reserve-1 (signal aborted: false)"]);
  });
});

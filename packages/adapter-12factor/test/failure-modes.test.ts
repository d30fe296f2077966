import { HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  type AgentTask,
  BaseAgent,
  type TaskRunContext,
  type ToolResponse,
  twelveFactorAgent,
} from "../src/index.js";
import { gate, testPatterns } from "./support/patterns.js";

type Behaviour = (ctx: TaskRunContext) => Promise<ToolResponse>;

class Scripted extends BaseAgent {
  constructor(private readonly behaviour: Behaviour) {
    super({ name: "scripted" }, {});
  }
  protected registerTools(): void {}
  executeTask(_task: AgentTask, ctx: TaskRunContext): Promise<ToolResponse> {
    return this.behaviour(ctx);
  }
}

const orchestrators: HierarchicalOrchestrator[] = [];
afterEach(async () => {
  for (const o of orchestrators.splice(0)) await o.shutdown();
});

async function runOne(behaviour: Behaviour, timeoutMs?: number, signal?: AbortSignal) {
  const orchestrator = new HierarchicalOrchestrator({
    plugins: [testPatterns()],
    agents: [twelveFactorAgent(() => new Scripted(behaviour), { capabilities: ["x"] })],
    abortGraceMs: 20,
  });
  orchestrators.push(orchestrator);
  const result = await orchestrator.orchestrateComplexTask(
    {
      description: "one",
      pattern: "parallel",
      children: [{ id: "t", description: "t", capabilities: ["x"], ...(timeoutMs ? { timeoutMs } : {}) }],
    },
    signal ? { signal } : {},
  );
  const node = Object.values(orchestrator.getOrchestrationStatus(result.orchestrationId).nodes).find((n) =>
    n.path.endsWith("/t"),
  );
  return { result, node, orchestrator };
}

describe("twelveFactorAgent failure modes end in coded outcomes", () => {
  it("throws → ECHELON_ADAPTER_TASK_FAILED carrying ECHELON_TASK_FAILED", async () => {
    const { result, node } = await runOne(async () => {
      throw new RangeError("bad range");
    });
    expect(node?.errorCode).toBe("ECHELON_ADAPTER_TASK_FAILED");
    expect(result.errorMessage).toContain("bad range");
  });

  it("hangs past its timeout ignoring the abort → ECHELON_TASK_TIMEOUT, and the late answer is discarded", async () => {
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const { result, node } = await runOne(async () => {
      await hung; // ignores ctx.signal on purpose
      return { success: true, data: "late" };
    }, 30);
    expect(result.state).toBe("failed");
    expect(node?.errorCode).toBe("ECHELON_TASK_TIMEOUT");
    release();
    await new Promise((r) => setImmediate(r));
    expect(result.result).toBeNull();
  });

  it("returns data that is not JSON → ECHELON_ADAPTER_TASK_FAILED carrying ECHELON_TOOL_RESULT_NOT_SERIALIZABLE", async () => {
    const { result, node } = await runOne(async () => ({ success: true, data: { when: new Map() } }));
    expect(node?.errorCode).toBe("ECHELON_ADAPTER_TASK_FAILED");
    expect(result.errorMessage).toContain("ECHELON_TOOL_RESULT_NOT_SERIALIZABLE");
  });

  it("answers after cancel → ECHELON_CANCELLED, the answer is not used", async () => {
    const controller = new AbortController();
    const g = gate();
    let answered = false;
    let markStarted!: () => void;
    const started = new Promise<void>((r) => (markStarted = r));
    const pending = runOne(
      async () => {
        markStarted();
        await g.wait(new AbortController().signal); // waits for the gate, not for the abort
        answered = true;
        return { success: true, data: "after cancel" };
      },
      undefined,
      controller.signal,
    );
    await started;
    controller.abort();
    const { result } = await pending;
    g.open();
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(true);
    expect(result).toMatchObject({ state: "cancelled", result: null, error: { code: "ECHELON_CANCELLED" } });
  });
});

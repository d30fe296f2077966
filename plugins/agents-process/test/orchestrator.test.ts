import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import { type AgentType, CoreErrorCode, HierarchicalOrchestrator } from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { nodeModuleAgent, ProcessErrorCode, processAgent, processAgents } from "../src/index.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const orchestrators: HierarchicalOrchestrator[] = [];

function orchestrator(...types: AgentType[]): HierarchicalOrchestrator {
  const created = new HierarchicalOrchestrator({ plugins: [processAgents(types)] });
  orchestrators.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(orchestrators.splice(0).map((o) => o.shutdown()));
});

describe("process agents under the orchestrator", () => {
  it("runs a command per leaf and returns its JSON", async () => {
    const o = orchestrator(
      processAgent({ command: process.execPath, args: [fixture("hash-stdin.mjs")], capabilities: ["hash"] }),
    );
    const result = await o.orchestrateComplexTask({
      description: "hash",
      capabilities: ["hash"],
      input: { text: "a", rounds: 1 },
    });
    expect(result.success).toBe(true);
    expect(result.result).toMatchObject({
      digest: createHash("sha256").update("a").digest("hex"),
      attempt: 1,
    });
  });

  it("ends a process that ignores SIGTERM with ECHELON_TASK_TIMEOUT", async () => {
    const o = orchestrator(
      processAgent({
        command: process.execPath,
        args: [fixture("misbehave.mjs"), "hang"],
        input: "none",
        killGraceMs: 100,
        capabilities: ["hang"],
      }),
    );
    const result = await o.orchestrateComplexTask({
      description: "hang",
      capabilities: ["hang"],
      timeoutMs: 300,
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe(CoreErrorCode.TASK_TIMEOUT);
  });

  it("retries a Node-module task that exits without a result, then reports the coded failure", async () => {
    const o = orchestrator(
      nodeModuleAgent({ module: fixture("module-work.mjs"), exportName: "exitsZero", capabilities: ["x"] }),
    );
    const result = await o.orchestrateComplexTask({
      description: "exit early",
      capabilities: ["x"],
      input: "abc",
      retry: { attempts: 2, backoffMs: 0 },
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe(ProcessErrorCode.NO_RESULT);
    expect(result.metadata.retries).toBe(1);
  });

  it.each([
    ["NonRetryableError", "nonRetryableError", "ECHELON_TEST_RECORD_INVALID"],
    ["an error with retryable: false", "retryableFalse", CoreErrorCode.TASK_FAILED],
    ["an error with details.retryable: false", "detailsRetryableFalse", "ECHELON_TEST_ACCOUNT_CLOSED"],
  ])(
    "ends the task after one attempt when the child throws %s, despite retry attempts 3",
    async (_, exportName, code) => {
      const o = orchestrator(
        nodeModuleAgent({ module: fixture("refusals.mjs"), exportName, capabilities: ["refuse"] }),
      );
      let started = 0;
      o.events.on("task:started", () => started++);
      const result = await o.orchestrateComplexTask({
        description: "refuse",
        capabilities: ["refuse"],
        input: "record-1",
        retry: { attempts: 3, backoffMs: 0 },
      });
      expect(result.success).toBe(false);
      expect(started).toBe(1);
      expect(result.metadata.retries).toBe(0);
      expect(result.error).toMatchObject({ code, details: { retryable: false } });
    },
  );

  it("still retries an ordinary error thrown in the child", async () => {
    const o = orchestrator(
      nodeModuleAgent({ module: fixture("refusals.mjs"), exportName: "transient", capabilities: ["refuse"] }),
    );
    let started = 0;
    o.events.on("task:started", () => started++);
    const result = await o.orchestrateComplexTask({
      description: "flaky",
      capabilities: ["refuse"],
      input: "record-1",
      retry: { attempts: 3, backoffMs: 0 },
    });
    expect(started).toBe(3);
    expect(result.error?.code).toBe(CoreErrorCode.TASK_FAILED);
  });

  it("fails a leaf whose process is SIGKILLed with ECHELON_PROCESS_EXITED", async () => {
    const o = orchestrator(
      processAgent({
        command: process.execPath,
        args: [fixture("misbehave.mjs"), "sigkill"],
        input: "none",
        capabilities: ["k"],
      }),
    );
    const result = await o.orchestrateComplexTask({ description: "die", capabilities: ["k"] });
    expect(result.error?.code).toBe(ProcessErrorCode.EXITED);
  });
});

import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import {
  type Agent,
  type AgentType,
  CoreErrorCode,
  HierarchicalOrchestrator,
  silentLogger,
} from "@echelon/core";
import { afterEach, describe, expect, it } from "vitest";
import { WorkerErrorCode, workerAgent, workerAgents } from "../src/index.js";

const fixture = fileURLToPath(new URL("./fixtures/hash-work.mjs", import.meta.url));
const refusals = fileURLToPath(new URL("./fixtures/refusals.mjs", import.meta.url));
const orchestrators: HierarchicalOrchestrator[] = [];

function orchestrator(...types: Parameters<typeof workerAgent>[0][]): HierarchicalOrchestrator {
  const created = new HierarchicalOrchestrator({ plugins: [workerAgents(types)] });
  orchestrators.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(orchestrators.splice(0).map((o) => o.shutdown()));
});

describe("worker agents under the orchestrator", () => {
  it("retries a crashed task on a fresh thread and succeeds", async () => {
    const o = orchestrator({ module: fixture, exportName: "crashesOnFirstAttempt", capabilities: ["hash"] });
    const result = await o.orchestrateComplexTask({
      description: "hash with a flaky thread",
      capabilities: ["hash"],
      input: "abc",
      retry: { attempts: 2, backoffMs: 0 },
    });
    expect(result.success).toBe(true);
    expect(result.result).toMatchObject({ digest: createHash("sha256").update("abc").digest("hex") });
    expect(result.metadata.retries).toBe(1);
  });

  it.each([
    ["NonRetryableError", "nonRetryableError", "ECHELON_TEST_RECORD_INVALID"],
    ["an error with retryable: false", "retryableFalse", CoreErrorCode.TASK_FAILED],
    ["an error with details.retryable: false", "detailsRetryableFalse", "ECHELON_TEST_ACCOUNT_CLOSED"],
  ])(
    "ends the task after one attempt when the thread throws %s, despite retry attempts 3",
    async (_, exportName, code) => {
      const o = orchestrator({ module: refusals, exportName, capabilities: ["refuse"] });
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

  it("still retries an ordinary error thrown in the thread", async () => {
    const o = orchestrator({ module: refusals, exportName: "transient", capabilities: ["refuse"] });
    let started = 0;
    o.events.on("task:started", () => started++);
    const result = await o.orchestrateComplexTask({
      description: "flaky",
      capabilities: ["refuse"],
      input: "record-1",
      retry: { attempts: 3, backoffMs: 0 },
    });
    expect(result.success).toBe(false);
    expect(started).toBe(3);
    expect(result.error?.code).toBe(CoreErrorCode.TASK_FAILED);
  });

  it("ends a hung task with ECHELON_TASK_TIMEOUT and keeps serving", async () => {
    const o = orchestrator({
      module: fixture,
      exportName: "hashForever",
      capabilities: ["hash"],
      abortGraceMs: 50,
    });
    const hung = await o.orchestrateComplexTask({
      description: "hang",
      capabilities: ["hash"],
      input: { hang: true },
      timeoutMs: 200,
    });
    expect(hung.success).toBe(false);
    expect(hung.error?.code).toBe(CoreErrorCode.TASK_TIMEOUT);
    const next = await o.orchestrateComplexTask({
      description: "answer",
      capabilities: ["hash"],
      input: { hang: false },
    });
    expect(next.success).toBe(true);
  });

  it("reports an out-of-memory thread as a coded failure of its task only", async () => {
    const o = orchestrator({
      module: fixture,
      exportName: "exhaustsMemory",
      capabilities: ["hash"],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    const result = await o.orchestrateComplexTask({
      description: "eat memory",
      capabilities: ["hash"],
      input: null,
    });
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe(WorkerErrorCode.OUT_OF_MEMORY);
  });

  it("cancels a running task and terminates its threads on shutdown", async () => {
    const o = orchestrator({
      module: fixture,
      exportName: "hashForever",
      capabilities: ["hash"],
      abortGraceMs: 50,
    });
    const started = new Promise<void>((resolve) => {
      const off = o.events.on("task:progressed", () => {
        off();
        resolve();
      });
    });
    const running = o.orchestrateComplexTask(
      { description: "hang", capabilities: ["hash"], input: { hang: true } },
      { orchestrationId: "to-cancel" },
    );
    await started;
    expect(o.cancelOrchestration("to-cancel")).toBe(true);
    const result = await running;
    expect(result.state).toBe("cancelled");
    expect(result.error?.code).toBe(CoreErrorCode.CANCELLED);
  });

  it("has the hierarchy dispose its agents on shutdown, which ends their threads", async () => {
    const base = workerAgent({ module: fixture, capabilities: ["hash"] });
    const agents: Agent[] = [];
    const tracked: AgentType = {
      ...base,
      spawn: async (id, context) => {
        const agent = await base.spawn(id, context);
        agents.push(agent);
        return agent;
      },
    };
    const o = new HierarchicalOrchestrator({ agents: [tracked] });
    const result = await o.orchestrateComplexTask({
      description: "hash",
      capabilities: ["hash"],
      input: { text: "a", rounds: 1 },
    });
    expect(result.success).toBe(true);
    expect(agents).toHaveLength(1);
    await o.shutdown();
    const after = await agents[0]!
      .execute(
        {
          taskId: "late",
          nodePath: "late",
          description: "late",
          input: { text: "a", rounds: 1 },
          capabilities: [],
          priority: 0,
          metadata: {},
        },
        {
          signal: new AbortController().signal,
          attempt: 1,
          idempotencyKey: "late",
          orchestrationId: "late",
          level: "primary",
          report: () => {},
          logger: silentLogger,
        },
      )
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(after).toMatchObject({ code: WorkerErrorCode.DISPOSED });
  });
});

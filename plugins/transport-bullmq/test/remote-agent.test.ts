import type { AgentType, EchelonError, EchelonEvent, TaskSpec } from "@echelon/core";
import { functionAgent, NonRetryableError } from "@echelon/core";
import { createOrchestrator } from "echelon";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JobId, type LocalRedis, remoteAgent, startWorkerHost, type WorkerHost } from "../src/index.js";
import { eventually, queueName, startRedis, until } from "./helpers.js";

let redis: LocalRedis;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(async () => {
  await redis.stop();
});

async function host(queue: string, agents: AgentType[], concurrency = 4): Promise<WorkerHost> {
  const h = await startWorkerHost({
    connection: redis.url,
    agents,
    queues: [queue],
    concurrency,
    id: `host-${queue}`,
  });
  closers.push(() => h.close());
  return h;
}

function orchestrator(queue: string, caps: [number, number] = [2, 8], capabilities = ["work"]) {
  const o = createOrchestrator({
    maxAgentsPerLevel: caps,
    agents: [remoteAgent({ capabilities, connection: redis.url, queue, reconcileIntervalMs: 200 })],
  });
  closers.push(() => o.shutdown());
  const events: EchelonEvent[] = [];
  o.events.onAny((e) => events.push(e));
  return { o, events };
}

const leaves = (n: number, input: (i: number) => unknown = (i) => i): TaskSpec => ({
  description: "leaves",
  pattern: "fork-join",
  children: Array.from({ length: n }, (_, i) => ({
    id: `leaf${i}`,
    description: `leaf ${i}`,
    input: input(i),
    capabilities: ["work"],
  })),
});

describe("remoteAgent with a worker host", () => {
  it("runs every leaf on the host and gives back the outputs, each recorded once", async () => {
    const q = queueName("roundtrip");
    const seen: string[] = [];
    await host(q, [
      functionAgent({ capabilities: ["work"] }, (work, ctx) => {
        seen.push(ctx.idempotencyKey);
        return (work.input as number) * 2;
      }),
    ]);
    const { o, events } = orchestrator(q);
    const result = await o.orchestrateComplexTask(leaves(12), { orchestrationId: "rt" });
    expect(result.success).toBe(true);
    expect(Object.values(result.result as Record<string, number>).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i * 2),
    );
    const completed = events.filter((e) => e.type === "task:completed" && e.nodePath !== "root");
    expect(new Set(completed.map((e) => e.nodePath)).size).toBe(12);
    expect(completed).toHaveLength(12);
    // The host saw the orchestrator's idempotency keys.
    expect(seen.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `rt/root/leaf${i}`).sort());
  });

  it("errors cross with their code, details and non-retryability: the retry policy is the orchestrator's alone", async () => {
    const q = queueName("errors");
    let runs = 0;
    await host(q, [
      functionAgent({ capabilities: ["work"] }, (work) => {
        runs++;
        if (work.input === "csv") {
          throw new NonRetryableError("Row 3 has no comma; fix the CSV.", {
            code: "ECHELON_CSV_ROW_INVALID",
            details: { row: 3 },
          });
        }
        throw new Error("flaky backend");
      }),
    ]);
    const { o } = orchestrator(q);
    const fatal = await o.orchestrateComplexTask({
      description: "parse",
      capabilities: ["work"],
      input: "csv",
      retry: { attempts: 3, backoffMs: 10 },
    });
    expect(fatal.success).toBe(false);
    expect(fatal.error).toMatchObject({
      code: "ECHELON_CSV_ROW_INVALID",
      details: { row: 3, retryable: false },
    });
    expect(runs).toBe(1);
    runs = 0;
    const flaky = await o.orchestrateComplexTask({
      description: "call",
      capabilities: ["work"],
      input: "other",
      retry: { attempts: 3, backoffMs: 10 },
    });
    expect(flaky.error?.code).toBe("ECHELON_TASK_FAILED");
    expect(flaky.errorMessage).toMatch(/flaky backend/);
    expect(flaky.errorMessage).toMatch(new RegExp(`worker host "host-${q}"`));
    // Three attempts by the orchestrator, one BullMQ attempt each: no double retries.
    expect(runs).toBe(3);
  });

  it("each orchestrator attempt is its own job (compact id of the key, ~attempt) and BullMQ runs each once", async () => {
    const q = queueName("attempts");
    const keys: string[] = [];
    await host(q, [
      functionAgent({ capabilities: ["work"] }, (_work, ctx) => {
        keys.push(`${ctx.idempotencyKey}#${ctx.attempt}`);
        if (ctx.attempt < 2) throw new Error("first attempt fails");
        return "ok";
      }),
    ]);
    const { o } = orchestrator(q);
    const result = await o.orchestrateComplexTask(
      { description: "retry", capabilities: ["work"], input: 1, retry: { attempts: 2, backoffMs: 10 } },
      { orchestrationId: "att" },
    );
    expect(result.success).toBe(true);
    expect(keys).toEqual(["att/root#1", "att/root#2"]);
    const client = new Redis(redis.url);
    try {
      const first = JobId.compact("att/root", 1);
      expect(await client.hget(`bull:${q}:${first}`, "failedReason")).toMatch(/first attempt fails/);
      expect(await client.hget(`bull:${q}:${first}`, "atm")).toBe("1");
      expect(await client.hget(`bull:${q}:${JobId.compact("att/root", 2)}`, "returnvalue")).toMatch(/"ok"/);
      // The key travels once, in the data (here as the orchestration id: the key is `att/root`).
      expect(JSON.parse((await client.hget(`bull:${q}:${first}`, "data")) ?? "null")).toMatchObject({
        v: 3,
        g: "att",
      });
      expect(await client.exists(`bull:${q}:att/root~1`)).toBe(0);
    } finally {
      client.disconnect();
    }
  });

  it("a timeout fails the attempt at once with its reason, and the running job's own signal aborts on the host", async () => {
    const q = queueName("timeout");
    const reasons: string[] = [];
    await host(q, [
      functionAgent(
        { capabilities: ["work"] },
        (_work, ctx) =>
          new Promise((_, reject) =>
            ctx.signal.addEventListener("abort", () => {
              reasons.push((ctx.signal.reason as EchelonError).code);
              reject(ctx.signal.reason);
            }),
          ),
      ),
    ]);
    const { o } = orchestrator(q);
    const started = performance.now();
    const result = await o.orchestrateComplexTask({
      description: "slow",
      capabilities: ["work"],
      input: 1,
      timeoutMs: 400,
    });
    const elapsed = performance.now() - started;
    expect(result.error?.code).toBe("ECHELON_TASK_TIMEOUT");
    expect(elapsed).toBeLessThan(2_000);
    await until(() => reasons.length === 1, "the host's agent to see the abort");
    expect(reasons).toEqual(["ECHELON_TASK_TIMEOUT"]);
  });

  it("cancelling a run aborts its running jobs on the host and removes the ones no host took yet", async () => {
    const q = queueName("cancel");
    const aborted: string[] = [];
    let started = 0;
    const h = await host(
      q,
      [
        functionAgent(
          { capabilities: ["work"] },
          (_work, ctx) =>
            new Promise((_, reject) => {
              started++;
              ctx.signal.addEventListener("abort", () => {
                aborted.push((ctx.signal.reason as EchelonError).code);
                reject(ctx.signal.reason);
              });
            }),
        ),
      ],
      1,
    );
    const { o } = orchestrator(q, [2, 3]);
    const run = o.orchestrateComplexTask(leaves(3), { orchestrationId: "cx" });
    const client = new Redis(redis.url);
    try {
      await until(() => started === 1, "one job running on the host");
      expect(o.cancelOrchestration("cx")).toBe(true);
      const result = await run;
      expect(result.state).toBe("cancelled");
      await until(() => aborted.length === 1 && h.running === 0, "the running job to be aborted");
      expect(aborted).toEqual(["ECHELON_CANCELLED"]);
      // The two jobs still waiting were removed (or aborted before their agent started).
      await eventually(async () => (await client.llen(`bull:${q}:wait`)) === 0, "the waiting jobs to go");
      expect(started).toBe(1);
    } finally {
      client.disconnect();
    }
  });

  it("progress and stopOrchestration cross from the host to the run", async () => {
    const q = queueName("progress");
    await host(q, [
      functionAgent({ capabilities: ["work"] }, async (work, ctx) => {
        ctx.report(0.5, "half way");
        if (work.input === "stop") {
          ctx.stopOrchestration?.(
            new NonRetryableError("The token budget is spent.", { code: "ECHELON_BUDGET_SPENT" }),
          );
          // The stop aborted this task's own signal too.
          expect(ctx.signal.aborted).toBe(true);
        }
        return "done";
      }),
    ]);
    const { o, events } = orchestrator(q);
    const ok = await o.orchestrateComplexTask({ description: "p", capabilities: ["work"], input: 1 });
    expect(ok.success).toBe(true);
    await until(() => events.some((e) => e.type === "task:progressed"), "the progress event");
    const progressed = events.find((e) => e.type === "task:progressed") as EchelonEvent & {
      progress: number;
      message?: string;
    };
    expect(progressed).toMatchObject({ progress: 0.5, message: "half way" });
    const stopped = await o.orchestrateComplexTask(leaves(2, (i) => (i === 0 ? "stop" : "go")));
    expect(stopped.success).toBe(false);
    expect(stopped.error?.code).toBe("ECHELON_BUDGET_SPENT");
  });

  it("level caps count the jobs in flight", async () => {
    const q = queueName("caps");
    let inFlight = 0;
    let peak = 0;
    await host(
      q,
      [
        functionAgent({ capabilities: ["work"] }, async (work) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          // Real I/O per task: a round trip to Redis, so tasks overlap.
          const c = new Redis(redis.url);
          await c.ping();
          c.disconnect();
          inFlight--;
          return work.input;
        }),
      ],
      20,
    );
    const { o } = orchestrator(q, [1, 3]);
    const result = await o.orchestrateComplexTask(leaves(15));
    expect(result.success).toBe(true);
    expect(peak).toBeLessThanOrEqual(3);
    expect(result.metadata.metrics.peakConcurrency).toBeLessThanOrEqual(3);
  });

  it("a host without the agent type a job needs fails it at once with a coded error that reaches the run", async () => {
    const q = queueName("missing");
    await host(q, [functionAgent({ name: "summariser", capabilities: ["summarise"] }, () => "x")]);
    const { o } = orchestrator(q, [2, 8], ["work", "summarise"]);
    const started = performance.now();
    const result = await o.orchestrateComplexTask({
      description: "needs work",
      capabilities: ["work"],
      input: 1,
      retry: { attempts: 3, backoffMs: 10 },
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(result.success).toBe(false);
    expect(result.error?.code).toBe("ECHELON_TRANSPORT_AGENT_MISSING");
    expect(result.errorMessage).toMatch(/no agent type for task "root".*summariser \[summarise\]/);
    expect(result.error?.details).toMatchObject({ needs: ["work"], retryable: false });
  });
});

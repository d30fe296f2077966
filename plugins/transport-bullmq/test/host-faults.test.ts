import type { EchelonEvent } from "@echelon/core";
import { functionAgent } from "@echelon/core";
import { createOrchestrator } from "echelon";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JobId, type LocalRedis, remoteAgent, startWorkerHost } from "../src/index.js";
import { leaves, memoryLogger, queueName, spawnFixture, startRedis, until } from "./helpers.js";

let redis: LocalRedis;
const cleanups: Array<() => Promise<unknown>> = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => {});
});
afterAll(async () => {
  await redis.stop();
});

/** Short locks so a dead or blocked host's jobs come back within a second. */
const FAST_LOCKS = { lockDurationMs: 600, stalledIntervalMs: 300 };

function orchestrator(queue: string) {
  const o = createOrchestrator({
    maxAgentsPerLevel: [2, 8],
    agents: [remoteAgent({ capabilities: ["work"], connection: redis.url, queue, reconcileIntervalMs: 200 })],
  });
  cleanups.push(() => o.shutdown());
  const events: EchelonEvent[] = [];
  o.events.onAny((e) => events.push(e));
  return { o, events };
}

async function echoHost(queue: string, id: string, logger = memoryLogger()) {
  const runs: string[] = [];
  const host = await startWorkerHost({
    connection: redis.url,
    queues: [queue],
    id,
    concurrency: 4,
    ...FAST_LOCKS,
    logger,
    agents: [
      functionAgent({ capabilities: ["work"] }, (work, ctx) => {
        runs.push(ctx.idempotencyKey);
        return { host: id, input: work.input };
      }),
    ],
  });
  cleanups.push(() => host.close());
  return { host, runs, logger };
}

const completed = (events: readonly EchelonEvent[]) =>
  events.filter((e) => e.type === "task:completed" && e.nodePath !== "root");

describe("worker hosts failing", () => {
  it("a host SIGKILLed while holding jobs: they are re-delivered after the lock expires and each result is recorded once", async () => {
    const q = queueName("killed");
    const doomed = spawnFixture("host.mjs", {
      url: redis.url,
      queue: q,
      id: "doomed",
      behaviour: "hold",
      concurrency: 4,
      ...FAST_LOCKS,
    });
    cleanups.push(() => doomed.kill());
    await doomed.line((l) => l.event === "ready");
    const { o, events } = orchestrator(q);
    const run = o.orchestrateComplexTask(leaves(4));
    await until(
      () => doomed.lines.filter((l) => l.event === "started").length === 4,
      "the doomed host to hold 4 jobs",
    );
    const survivor = await echoHost(q, "survivor");
    const killedAt = performance.now();
    await doomed.kill();
    const result = await run;
    expect(result.success).toBe(true);
    // Not before the dead host's locks expired.
    expect(performance.now() - killedAt).toBeGreaterThanOrEqual(FAST_LOCKS.lockDurationMs / 2);
    const outputs = Object.values(result.result as Record<string, { host: string }>);
    expect(outputs.map((o) => o.host)).toEqual(["survivor", "survivor", "survivor", "survivor"]);
    expect(completed(events)).toHaveLength(4);
    expect(survivor.runs).toHaveLength(4);
  });

  it("a host that blocks past its lock: the job runs elsewhere, and the blocked host's late result is dropped", async () => {
    const q = queueName("blocked");
    const blocked = spawnFixture("host.mjs", {
      url: redis.url,
      queue: q,
      id: "blocked",
      behaviour: "block",
      blockMs: 2_500,
      ...FAST_LOCKS,
    });
    cleanups.push(() => blocked.kill());
    await blocked.line((l) => l.event === "ready");
    const { o, events } = orchestrator(q);
    const run = o.orchestrateComplexTask(
      { description: "one", capabilities: ["work"], input: "x" },
      { orchestrationId: "blk" },
    );
    await blocked.line((l) => l.event === "started");
    const other = await echoHost(q, "other");
    const result = await run;
    expect(result.success).toBe(true);
    expect(result.result).toEqual({ host: "other", input: "x" });
    // The blocked host finishes later; its completion is refused (its lock is gone) and logged.
    await blocked.line((l) => l.event === "finished", 10_000);
    await blocked.line((l) => l.event === "warn" && /result was dropped/.test(String(l.message)), 10_000);
    expect(events.filter((e) => e.type === "task:completed")).toHaveLength(1);
    const client = new Redis(redis.url);
    try {
      // The stored result is the surviving host's (BullMQ's `processedBy` names the host).
      const [returnvalue, processedBy] = await client.hmget(
        `bull:${q}:${JobId.compact("blk/root", 1)}`,
        "returnvalue",
        "pb",
      );
      expect(JSON.parse(returnvalue ?? "null")).toEqual({ v: 2, o: { host: "other", input: "x" } });
      expect(processedBy).toBe("other");
    } finally {
      client.disconnect();
    }
    expect(other.runs).toEqual(["blk/root"]);
  });

  it("a host shutting down hands its running jobs back to the queue, and another host runs them", async () => {
    const q = queueName("handback");
    let aborted = 0;
    const leaving = await startWorkerHost({
      connection: redis.url,
      queues: [q],
      id: "leaving",
      concurrency: 2,
      closeGraceMs: 100,
      agents: [
        functionAgent(
          { capabilities: ["work"] },
          (_work, ctx) =>
            new Promise((_, reject) =>
              ctx.signal.addEventListener("abort", () => {
                aborted++;
                reject(ctx.signal.reason);
              }),
            ),
        ),
      ],
    });
    cleanups.push(() => leaving.close());
    const { o } = orchestrator(q);
    const run = o.orchestrateComplexTask(leaves(2));
    await until(() => leaving.running === 2, "two jobs on the leaving host");
    await leaving.close();
    expect(aborted).toBe(2);
    const staying = await echoHost(q, "staying");
    const result = await run;
    expect(result.success).toBe(true);
    expect(staying.runs).toHaveLength(2);
  });
});

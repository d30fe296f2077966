import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentType, EchelonError, EchelonEvent, TaskSpec } from "@echelon/core";
import { functionAgent } from "@echelon/core";
import { createOrchestrator } from "echelon";
import { afterEach, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { JobId, type LocalRedis, remoteAgent, remoteAgents, startWorkerHost } from "../src/index.js";
import { FileEventStore, killRedis, leaves, queueName, spawnFixture, startRedis, until } from "./helpers.js";

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean().catch(() => {});
});

async function redisServer(port?: number): Promise<LocalRedis> {
  const redis = await startRedis(port);
  cleanups.push(() => redis.stop());
  return redis;
}

async function host(url: string, queue: string, agent: AgentType, concurrency = 4) {
  const h = await startWorkerHost({ connection: url, agents: [agent], queues: [queue], concurrency });
  cleanups.push(() => h.close());
  return h;
}

function orchestrator(
  url: string,
  queue: string,
  options: { plugin?: boolean; store?: FileEventStore } = {},
) {
  const type = remoteAgent({
    capabilities: ["work"],
    connection: url,
    queue,
    connectTimeoutMs: 500,
    reconcileIntervalMs: 200,
  });
  const o = createOrchestrator({
    maxAgentsPerLevel: [2, 8],
    ...(options.plugin ? { plugins: [remoteAgents([type])] } : { agents: [type] }),
    ...(options.store !== undefined ? { eventStore: options.store } : {}),
  });
  cleanups.push(() => o.shutdown());
  const events: EchelonEvent[] = [];
  o.events.onAny((e) => events.push(e));
  return { o, events };
}

/** An agent whose tasks wait until the test opens the latch (work that is "in flight" on purpose). */
function latchAgent() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const runs: string[] = [];
  let running = 0;
  const agent = functionAgent({ capabilities: ["work"] }, async (work, ctx) => {
    runs.push(ctx.idempotencyKey);
    running++;
    try {
      await opened;
      return (work.input as number) * 10;
    } finally {
      running--;
    }
  });
  return { agent, runs, open: () => open(), running: () => running };
}

const completedPaths = (events: readonly EchelonEvent[]) =>
  events.filter((e) => e.type === "task:completed" && e.nodePath !== "root").map((e) => e.nodePath);

describe("Redis down", () => {
  it("at start: the plugin's start fails fast with a coded error, before any run is journaled", async () => {
    const dead = await redisServer();
    await dead.stop();
    const { o } = orchestrator(dead.url, queueName("down"), { plugin: true });
    const started = performance.now();
    const failure = (await o.orchestrateComplexTask(leaves(2)).catch((e: unknown) => e)) as EchelonError;
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(failure.code).toBe("ECHELON_PLUGIN_HOOK_FAILED");
    expect((failure.cause as EchelonError).code).toBe("ECHELON_TRANSPORT_REDIS_UNAVAILABLE");
    expect(failure.message).toMatch(/did not answer within 500 ms/);
  });

  it("at start, without the plugin: the first enqueue fails the attempt fast with a coded, retryable error", async () => {
    const dead = await redisServer();
    await dead.stop();
    const { o } = orchestrator(dead.url, queueName("down"));
    const started = performance.now();
    const result = await o.orchestrateComplexTask({ description: "one", capabilities: ["work"], input: 1 });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(result.error?.code).toBe("ECHELON_TRANSPORT_REDIS_UNAVAILABLE");
    expect(result.error?.details).toMatchObject({ retryable: true });
  });

  it("at enqueue: a fast coded error after the completed steps are journaled; a retry policy rides out a restart", async () => {
    const redis = await redisServer();
    const q = queueName("enqueue");
    await host(
      redis.url,
      q,
      functionAgent({ capabilities: ["work"] }, (work) => work.input),
    );
    const { o, events } = orchestrator(redis.url, q);
    const chain = (retry?: { attempts: number; backoffMs: number }): TaskSpec => ({
      description: "chain",
      pattern: "fork-join",
      children: [
        { id: "first", description: "first", input: 1, capabilities: ["work"] },
        {
          id: "second",
          description: "second",
          input: 2,
          capabilities: ["work"],
          dependsOn: ["first"],
          ...(retry ? { retry } : {}),
        },
      ],
    });
    let killedAt = 0;
    const off = o.events.on("task:completed", (e) => {
      if (e.nodePath === "root/first" && killedAt === 0) {
        killedAt = performance.now();
        process.kill(redis.pid, "SIGKILL");
      }
    });
    const failed = await o.orchestrateComplexTask(chain());
    off();
    expect(failed.success).toBe(false);
    const second = events.find((e) => e.type === "task:failed" && e.nodePath === "root/second") as
      | (EchelonEvent & { error: { code: string } })
      | undefined;
    expect(second?.error.code).toBe("ECHELON_TRANSPORT_REDIS_UNAVAILABLE");
    expect(performance.now() - killedAt).toBeLessThan(3_000);
    expect(completedPaths(events)).toEqual(["root/first"]);
    await redis.stop();

    // The same orchestrator, Redis back on its port before the second attempt's backoff ends.
    const port = redis.port;
    let restarted = false;
    const again = o.events.on("task:retrying", () => {
      if (!restarted) {
        restarted = true;
        void redisServer(port);
      }
    });
    // Redis is down now: the first enqueue fails, the retry finds it back.
    const ok = await o.orchestrateComplexTask({
      description: "one",
      capabilities: ["work"],
      input: 7,
      retry: { attempts: 10, backoffMs: 300 },
    });
    again();
    expect(restarted).toBe(true);
    expect(ok.success).toBe(true);
    expect(ok.result).toBe(7);
  });
});

describe("Redis restarted", () => {
  it("while busy (losing every job): the hosts consume again, the lost jobs are enqueued again, each result is recorded once", async () => {
    const redis = await redisServer();
    const q = queueName("busy");
    const latch = latchAgent();
    await host(redis.url, q, latch.agent, 3);
    const { o, events } = orchestrator(redis.url, q);
    const run = o.orchestrateComplexTask(leaves(6), { orchestrationId: "busy" });
    await until(() => latch.running() === 3, "three jobs running on the host");
    await killRedis(redis);
    const again = await redisServer(redis.port);
    expect(again.port).toBe(redis.port);
    latch.open();
    const result = await run;
    expect(result.success).toBe(true);
    expect(Object.values(result.result as Record<string, number>).sort((a, b) => a - b)).toEqual([
      0, 10, 20, 30, 40, 50,
    ]);
    const done = completedPaths(events);
    expect(done).toHaveLength(6);
    expect(new Set(done).size).toBe(6);
    // The three that were running lost their jobs with Redis and ran again.
    expect(latch.runs.length).toBeGreaterThanOrEqual(9);
  });

  it("while idle: the hosts and the orchestrator reconnect and the next run completes", async () => {
    const redis = await redisServer();
    const q = queueName("idle");
    await host(
      redis.url,
      q,
      functionAgent({ capabilities: ["work"] }, (work) => work.input),
    );
    const { o } = orchestrator(redis.url, q);
    expect((await o.orchestrateComplexTask(leaves(3))).success).toBe(true);
    await killRedis(redis);
    await redisServer(redis.port);
    const after = await o.orchestrateComplexTask(leaves(4));
    expect(after.success).toBe(true);
    expect(Object.keys(after.result as object)).toHaveLength(4);
  });
});

describe("resume", () => {
  it("after the orchestrator died and Redis lost its data: resume fails fast while Redis is down, then enqueues the steps in flight again", async () => {
    const redis = await redisServer();
    const q = queueName("resume");
    const journal = join(mkdtempSync(join(tmpdir(), "echelon-journal-")), "journal.jsonl");
    const holder = spawnFixture("host.mjs", {
      url: redis.url,
      queue: q,
      id: "holder",
      behaviour: "hold",
      concurrency: 3,
    });
    cleanups.push(() => holder.kill());
    await holder.line((l) => l.event === "ready");
    const first = spawnFixture("orchestrator.mjs", {
      url: redis.url,
      queue: q,
      journal,
      id: "run-r",
      leaves: [1, 2, 3],
    });
    cleanups.push(() => first.kill());
    await until(() => holder.lines.filter((l) => l.event === "started").length === 3, "three jobs held");
    await first.kill(); // the orchestrator dies with three steps in flight
    await holder.kill();
    await killRedis(redis); // and Redis loses every job

    const store = new FileEventStore(journal);
    const before = store.read("run-r").length;
    const down = orchestrator(redis.url, q, { plugin: true, store }).o;
    const started = performance.now();
    await expect(down.resume("run-r")).rejects.toMatchObject({ code: "ECHELON_PLUGIN_HOOK_FAILED" });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(store.read("run-r")).toHaveLength(before); // nothing journaled: still resumable

    const back = await redisServer(redis.port);
    const runs: string[] = [];
    await host(
      back.url,
      q,
      functionAgent({ capabilities: ["work"] }, (work, ctx) => {
        runs.push(ctx.idempotencyKey);
        return (work.input as number) * 100;
      }),
    );
    const resumed = await orchestrator(back.url, q, { plugin: true, store }).o.resume("run-r");
    expect(resumed.success).toBe(true);
    expect(Object.values(resumed.result as Record<string, number>).sort((a, b) => a - b)).toEqual([
      100, 200, 300,
    ]);
    expect(runs.sort()).toEqual(["run-r/root/leaf0", "run-r/root/leaf1", "run-r/root/leaf2"]);
    expect(readFileSync(journal, "utf8")).toContain('"type":"orchestration:completed"');
  });

  it("after the orchestrator died, jobs that finished meanwhile are taken from Redis, not run again", async () => {
    const redis = await redisServer();
    const q = queueName("finished");
    const journal = join(mkdtempSync(join(tmpdir(), "echelon-journal-")), "journal.jsonl");
    const latch = latchAgent();
    await host(redis.url, q, latch.agent, 3);
    const first = spawnFixture("orchestrator.mjs", {
      url: redis.url,
      queue: q,
      journal,
      id: "run-f",
      leaves: [1, 2, 3],
    });
    cleanups.push(() => first.kill());
    await until(() => latch.running() === 3, "three jobs running");
    await first.kill();
    latch.open(); // they finish while no orchestrator listens
    await until(() => latch.running() === 0, "the jobs to finish");
    // The jobs sit under their compact ids, which the new process derives again from (key, attempt).
    const client = new Redis(redis.url);
    cleanups.push(() => client.quit());
    for (let i = 0; i < 3; i++) {
      expect(await client.hexists(`bull:${q}:${JobId.compact(`run-f/root/leaf${i}`, 1)}`, "finishedOn")).toBe(
        1,
      );
    }
    const resumed = await orchestrator(redis.url, q, { store: new FileEventStore(journal) }).o.resume(
      "run-f",
    );
    expect(resumed.success).toBe(true);
    expect(Object.values(resumed.result as Record<string, number>).sort((a, b) => a - b)).toEqual([
      10, 20, 30,
    ]);
    expect(latch.runs).toHaveLength(3);
  });
});

import { functionAgent, NonRetryableError } from "@echelon/core";
import { UnrecoverableError, Worker } from "bullmq";
import { createOrchestrator } from "echelon";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { JobId, type LocalRedis, remoteAgent, startWorkerHost } from "../src/index.js";
import { encodeJobData, type JobFacts, orchestrationIdOf, readJobData, tokenOf } from "../src/job-data.js";
import { PendingJobs } from "../src/pending-jobs.js";
import { describeError, encodeFailure, successOutput } from "../src/wire.js";
import { jobFixture, leaves, memoryLogger, queueName, startRedis } from "./helpers.js";

describe("job payload versions", () => {
  const { facts } = jobFixture();
  const jobId = JobId.build(facts.idempotencyKey, facts.attempt);

  it("version 2 leaves out defaults and what the job id carries, and reads back to the same facts", () => {
    const v2 = encodeJobData(facts, 2);
    expect(v2).toEqual({
      v: 2,
      t: "root",
      n: "root",
      d: "the root",
      i: null,
      o: ["x"],
      l: "primary",
      x: 0,
      k: "t",
    });
    expect(readJobData(JSON.parse(JSON.stringify(v2)), jobId)).toEqual({ v: 2, ...facts });
    expect(JSON.stringify(v2).length).toBeLessThan(JSON.stringify(encodeJobData(facts, 1)).length / 2);
  });

  it("version 2 keeps every fact that is not a default, and the orchestration id when it cannot be derived", () => {
    const full: JobFacts = {
      ...facts,
      work: {
        ...facts.work,
        nodePath: "root/a",
        input: { rows: [1, 2] },
        capabilities: ["csv"],
        priority: 3,
        metadata: { owner: "ops" },
      },
      idempotencyKey: "custom-key",
      orchestrationId: "run:7",
      level: "secondary",
      levelIndex: 1,
    };
    const v2 = encodeJobData(full, 2);
    expect(v2).toMatchObject({ c: ["csv"], p: 3, m: { owner: "ops" }, g: "run:7", x: 1 });
    expect(v2).not.toHaveProperty("o");
    const read = readJobData(JSON.parse(JSON.stringify(v2)), JobId.build("custom-key", 1));
    expect(read).toEqual({ v: 2, ...full, offered: [] });
  });

  it("version 3 (compact ids) carries the key once, in the data, and reads back to the same facts", () => {
    const compact = JobId.compact(facts.idempotencyKey, facts.attempt);
    const v3 = encodeJobData(facts, 3);
    // Key `r/root` = orchestration id `r` + "/" + node path: only the orchestration id is sent.
    expect(v3).toEqual({
      v: 3,
      t: "root",
      n: "root",
      d: "the root",
      i: null,
      o: ["x"],
      l: "primary",
      x: 0,
      k: "t",
      g: "r",
    });
    expect(readJobData(JSON.parse(JSON.stringify(v3)), compact)).toEqual({ v: 3, ...facts });
    // A key core builds with a suffix: sent whole, the orchestration id derived from it.
    const suffixed: JobFacts = { ...facts, idempotencyKey: "r/root#item-2" };
    const v3s = encodeJobData(suffixed, 3);
    expect(v3s).toMatchObject({ y: "r/root#item-2" });
    expect(v3s).not.toHaveProperty("g");
    expect(readJobData(v3s, JobId.compact("r/root#item-2", 4))).toEqual({ v: 3, ...suffixed, attempt: 4 });
    // A key of another shape: the key and the orchestration id both travel.
    const custom: JobFacts = { ...facts, idempotencyKey: "custom", orchestrationId: "run:7" };
    expect(encodeJobData(custom, 3)).toMatchObject({ y: "custom", g: "run:7" });
    expect(readJobData(encodeJobData(custom, 3), JobId.compact("custom", 1))).toEqual({ v: 3, ...custom });
    // The attempt comes from the id; an id without one, or data without the key, is refused.
    expect(() => readJobData(v3, "no-attempt")).toThrowError(
      expect.objectContaining({ details: expect.objectContaining({ version: 3 }) }),
    );
    const { g: _g, ...keyless } = v3 as { g?: string };
    expect(() => readJobData(keyless, compact)).toThrowError(
      expect.objectContaining({ code: "ECHELON_TRANSPORT_JOB_INVALID" }),
    );
    expect(tokenOf(v3)).toBe("t");
  });

  it("version 1 reads back as before", () => {
    const v1 = encodeJobData(facts, 1);
    expect(v1).toEqual({ v: 1, ...facts });
    expect(readJobData(JSON.parse(JSON.stringify(v1)), "anything")).toEqual({ v: 1, ...facts });
  });

  it("derives the orchestration id from keys core builds, and only from those", () => {
    expect(orchestrationIdOf("run-1/root/a", "root/a")).toBe("run-1");
    expect(orchestrationIdOf("a/b/root/a#2", "root/a")).toBe("a/b");
    expect(orchestrationIdOf("run-1/xroot/a", "root/a")).toBeUndefined();
    expect(orchestrationIdOf("root/a", "root/a")).toBeUndefined();
    expect(orchestrationIdOf("run-1/root/b#2", "root/a")).toBeUndefined();
  });

  it("refuses other data with the version it saw, and reads tokens of both versions", () => {
    for (const bad of [null, 42, { v: 4 }, { v: 3 }, { v: 2, t: "a" }, { v: 1, work: {} }]) {
      expect(() => readJobData(bad, jobId)).toThrowError(
        expect.objectContaining({ code: "ECHELON_TRANSPORT_JOB_INVALID" }),
      );
    }
    // Version 2 needs a job id of the `JobId` grammar (it carries the key and attempt).
    expect(() => readJobData(encodeJobData(facts, 2), "no-attempt")).toThrowError(
      expect.objectContaining({ details: expect.objectContaining({ jobId: "no-attempt", version: 2 }) }),
    );
    expect(tokenOf(encodeJobData(facts, 1))).toBe("t");
    expect(tokenOf(encodeJobData(facts, 2))).toBe("t");
    expect(tokenOf({ v: 2 })).toBeUndefined();
  });

  it("reads success envelopes of both versions, and nothing else", () => {
    expect(successOutput({ ok: true, output: 1, host: "h", agentId: "a" })).toEqual({ output: 1 });
    expect(successOutput({ v: 2, o: [1] })).toEqual({ output: [1] });
    expect(successOutput({ v: 2 })).toEqual({ output: undefined });
    expect(successOutput({ o: 1 })).toBeNull();
    expect(successOutput(1)).toBeNull();
  });

  it("an older host's refusal of version 2 goes back to the dispatcher instead of failing the attempt", async () => {
    const { ctx, data } = jobFixture();
    const refused: string[] = [];
    const pending = new PendingJobs((entry) => refused.push(entry.jobId));
    const entry = pending.add("r/root~1", facts, data, ctx);
    pending.failed("r/root~1", oldHostRefusal("r/root~1", 2));
    expect(refused).toEqual(["r/root~1"]);
    expect(entry.settled).toBe(false);
    // The same refusal of a version 1 job is a plain failure.
    entry.data = encodeJobData(facts, 1);
    pending.failed("r/root~1", oldHostRefusal("r/root~1", 1));
    await expect(entry.promise).rejects.toMatchObject({ code: "ECHELON_TRANSPORT_JOB_INVALID" });
    expect(refused).toHaveLength(1);
  });

  it("a refused compact-id job is filed under its long id: events of the compact id no longer reach it", async () => {
    const { ctx } = jobFixture();
    const compact = JobId.compact(facts.idempotencyKey, 1);
    const long = JobId.build(facts.idempotencyKey, 1);
    const pending = new PendingJobs((e) => {
      e.data = encodeJobData(facts, 1);
      pending.rekey(e, long);
    });
    const entry = pending.add(compact, facts, encodeJobData(facts, 3), ctx);
    pending.failed(compact, oldHostRefusal(compact, 3));
    expect(entry.jobId).toBe(long);
    expect(pending.get(compact)).toBeUndefined();
    pending.completed(compact, { v: 2, o: "stale" });
    expect(entry.settled).toBe(false);
    pending.completed(long, { ok: true, output: "v1", host: "old", agentId: "a" });
    await expect(entry.promise).resolves.toBe("v1");
    expect(pending.size).toBe(0);
  });
});

/** The failed reason a host of the previous release (payload version 1 only) writes for a job of `version`. */
function oldHostRefusal(jobId: string, version: number): string {
  const error = new NonRetryableError(
    `Job "${jobId}" is not an Echelon job of payload version 1 (got version ${version}).`,
    { code: "ECHELON_TRANSPORT_JOB_INVALID", details: { jobId, version } },
  );
  return encodeFailure({ echelon: 1, host: "old-host", error: describeError(error) });
}

describe("mixed releases on one queue (a rolling deploy)", () => {
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

  function orchestrator(queue: string, wireVersion?: 1 | 2 | 3) {
    const logger = memoryLogger();
    const o = createOrchestrator({
      maxAgentsPerLevel: [1, 4],
      logger,
      agents: [
        remoteAgent({
          capabilities: ["work"],
          connection: redis.url,
          queue,
          reconcileIntervalMs: 200,
          ...(wireVersion !== undefined ? { wireVersion } : {}),
        }),
      ],
    });
    closers.push(() => o.shutdown());
    return { o, logger };
  }

  it("an orchestrator writing version 1 is served by a host of this release, in version 1", async () => {
    const q = queueName("v1-orchestrator");
    const h = await startWorkerHost({
      connection: redis.url,
      queues: [q],
      agents: [functionAgent({ capabilities: ["work"] }, (work) => (work.input as number) * 3)],
      id: "new-host",
    });
    closers.push(() => h.close());
    const { o } = orchestrator(q, 1);
    const result = await o.orchestrateComplexTask(leaves(4), { orchestrationId: "mixed1" });
    expect(result.success).toBe(true);
    expect(Object.values(result.result as Record<string, number>).sort()).toEqual([0, 3, 6, 9]);
    const client = new Redis(redis.url);
    closers.push(() => client.quit());
    const [data, returnvalue] = await client.hmget(
      `bull:${q}:${JobId.build("mixed1/root/leaf1", 1)}`,
      "data",
      "returnvalue",
    );
    expect(JSON.parse(data!)).toMatchObject({ v: 1, idempotencyKey: "mixed1/root/leaf1" });
    expect(JSON.parse(returnvalue!)).toEqual({
      ok: true,
      output: 3,
      host: "new-host",
      agentId: expect.any(String),
    });
  });

  for (const written of [3, 2] as const) {
    it(`a host of the first release refusing version ${written} makes the orchestrator enqueue the job again in version 1, under its long id`, async () => {
      const q = queueName(`old-host-v${written}`);
      // What a host of the first release does: version 1 runs, anything else is refused.
      const seen: Array<{ v: number; id: string }> = [];
      const old = new Worker(
        q,
        async (job) => {
          const data = job.data as { v: number; work?: { input: number } };
          seen.push({ v: data.v, id: job.id! });
          if (data.v !== 1) throw new UnrecoverableError(oldHostRefusal(job.id!, data.v));
          return { ok: true, output: data.work!.input * 5, host: "old-host", agentId: "old-host/a#1" };
        },
        { connection: { host: "127.0.0.1", port: redis.port }, concurrency: 2 },
      );
      closers.push(() => old.close());
      const { o, logger } = orchestrator(q, written === 3 ? undefined : written);
      const id = `mixed-v${written}`;
      const result = await o.orchestrateComplexTask(leaves(3), { orchestrationId: id });
      expect(result.success).toBe(true);
      expect(Object.values(result.result as Record<string, number>).sort()).toEqual([0, 10, 5]);
      // At most the jobs added before the first refusal came back were bounced; each ran in version 1 once.
      const ranV1 = seen.filter((s) => s.v === 1);
      expect(ranV1.map((s) => s.id).sort()).toEqual(
        [0, 1, 2].map((i) => JobId.build(`${id}/root/leaf${i}`, 1)),
      );
      const bounced = seen.filter((s) => s.v === written);
      expect(bounced.length).toBeGreaterThan(0);
      const idOf = written === 3 ? JobId.compact : JobId.build;
      for (const b of bounced) expect([0, 1, 2].map((i) => idOf(`${id}/root/leaf${i}`, 1))).toContain(b.id);
      expect(logger.lines.some((l) => l.includes(`refused a job of payload version ${written}`))).toBe(true);
    });
  }

  it("a host of the previous release (versions 1 and 2) refusing version 3 is served in version 1 too", async () => {
    const q = queueName("v2-host");
    const seen: number[] = [];
    const previous = new Worker(
      q,
      async (job) => {
        const data = job.data as { v: number; work?: { input: number } };
        seen.push(data.v);
        if (data.v === 3) throw new UnrecoverableError(oldHostRefusal(job.id!, 3));
        // Stands in for the previous release's reading of version 1 (its version 2 needs long ids).
        const read = readJobData(data, job.id!);
        return { v: 2, o: (read.work.input as number) * 7 };
      },
      { connection: { host: "127.0.0.1", port: redis.port }, concurrency: 2 },
    );
    closers.push(() => previous.close());
    const { o } = orchestrator(q);
    const result = await o.orchestrateComplexTask(leaves(2), { orchestrationId: "mixed3" });
    expect(result.success).toBe(true);
    expect(Object.values(result.result as Record<string, number>).sort()).toEqual([0, 7]);
    expect(seen.filter((v) => v === 1)).toHaveLength(2);
  });

  it("a host of this release serves orchestrators of all three versions on one queue", async () => {
    const q = queueName("all-versions");
    const h = await startWorkerHost({
      connection: redis.url,
      queues: [q],
      agents: [
        functionAgent(
          { capabilities: ["work"] },
          (work, ctx) => `${ctx.idempotencyKey}#${ctx.attempt}:${work.input}`,
        ),
      ],
    });
    closers.push(() => h.close());
    const outs = await Promise.all(
      ([1, 2, 3] as const).map(async (v) => {
        const { o } = orchestrator(q, v);
        const r = await o.orchestrateComplexTask(leaves(2), { orchestrationId: `all${v}` });
        return Object.values(r.result as Record<string, string>).sort();
      }),
    );
    expect(outs).toEqual([1, 2, 3].map((v) => [`all${v}/root/leaf0#1:0`, `all${v}/root/leaf1#1:1`]));
  });
});

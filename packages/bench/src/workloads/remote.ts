import type { TaskSpec } from "@echelon/core";
import { remoteAgent } from "@echelon/transport-bullmq";
import { type JobsOptions, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import type { Extra } from "../child/protocol.js";
import type { Iteration, VariantFactory, Workload } from "../child/trial.js";
import { expectEqual } from "./bodies.js";
import { planIteration, prepared } from "./echelon-setup.js";
import { hashChain, type RemoteBody } from "./remote-bodies.js";
import {
  commandCalls,
  commandsPerTask,
  countRoundTrips,
  type RoundTripCounter,
  startHosts,
} from "./remote-hosts.js";

interface Settings {
  readonly port: number;
  readonly body: RemoteBody;
  readonly hosts: number;
  readonly concurrency: number;
  readonly cap: number;
  readonly timerMs: number;
  readonly rounds: number;
  /** Count round trips with MONITOR (slows Redis: the times of such a case mean nothing). */
  readonly monitor: boolean;
}

function settings(options: Readonly<Record<string, Extra>>): Settings {
  const n = (key: string, fallback: number) =>
    typeof options[key] === "number" ? (options[key] as number) : fallback;
  return {
    port: n("redisPort", 6379),
    body: (typeof options.body === "string" ? options.body : "noop") as RemoteBody,
    hosts: n("hosts", 2),
    concurrency: n("concurrency", 50),
    cap: n("cap", 100),
    timerMs: n("timerMs", 10),
    rounds: n("rounds", 20_000),
    monitor: options.monitor === true,
  };
}

function inputOf(s: Settings, i: number): unknown {
  return s.body === "noop" ? i : s.body === "timer" ? s.timerMs : [i, s.rounds];
}

/** The expected output, in a form independent of completion order. */
function expected(s: Settings, size: number): unknown {
  if (s.body === "noop") return (size * (size - 1)) / 2;
  if (s.body === "timer") return size;
  return Array.from({ length: size }, (_, i) => hashChain(i, s.rounds)).sort();
}

function normalise(s: Settings, outputs: readonly unknown[]): unknown {
  if (s.body === "cpu") return [...(outputs as string[])].sort();
  return (outputs as number[]).reduce((a, b) => a + b, 0);
}

/** Starts the per-iteration Redis counts: executed commands always, round trips with `monitor`. */
async function startCounting(
  s: Settings,
  client: Redis,
): Promise<(tasks: number) => Promise<Record<string, Extra>>> {
  const before = await commandCalls(client);
  const trips: RoundTripCounter | null = s.monitor ? await countRoundTrips(s.port) : null;
  return async (tasks) => ({
    ...(trips !== null ? commandsPerTask(new Map(), await trips.stop(), tasks, "roundTrips") : {}),
    ...commandsPerTask(before, await commandCalls(client), tasks),
  });
}

/** The job options Echelon's remote agent uses, so raw BullMQ does the same jobs. */
const JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 3600 },
};

function raw(windowed: boolean): VariantFactory {
  return async (size, options) => {
    const s = settings(options);
    const connection = { host: "127.0.0.1", port: s.port };
    const name = `bench-bullmq-${process.pid}`;
    await startHosts({
      kind: "bullmq",
      port: s.port,
      queue: name,
      body: s.body,
      concurrency: s.concurrency,
      count: s.hosts,
    });
    const client = new Redis(connection);
    // All jobs are added at once, so the event stream must hold their events until they are read
    // (BullMQ trims it to 10,000 by default and a trimmed completion would never be counted).
    const queue = new Queue(name, { connection, streams: { events: { maxLen: 50 * size + 10_000 } } });
    await queue.waitUntilReady();
    const [seconds, micros] = await client.time();
    const events = new QueueEvents(name, {
      connection,
      lastEventId: `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`,
    });
    let collect: ((jobId: string, value: unknown) => void) | null = null;
    let fail: ((error: Error) => void) | null = null;
    events.on("completed", ({ jobId, returnvalue }) => collect?.(jobId, returnvalue));
    events.on("failed", ({ failedReason }) => fail?.(new Error(failedReason)));
    let iteration = 0;
    return async (): Promise<Iteration> => {
      const counted = await startCounting(s, client);
      const prefix = `w${++iteration}-`;
      return {
        async run() {
          const outputs: unknown[] = [];
          const waiting = new Map<string, () => void>();
          const done = new Promise<unknown[]>((resolve, reject) => {
            fail = reject;
            collect = (jobId, value) => {
              outputs.push(value);
              waiting.get(jobId)?.();
              if (outputs.length === size) resolve(outputs);
            };
          });
          if (!windowed) {
            await Promise.all(
              Array.from({ length: size }, (_, i) =>
                queue.add("task", { input: inputOf(s, i) }, JOB_OPTIONS),
              ),
            );
            return done;
          }
          // At most `cap` jobs in flight, the next added when one completes (Echelon's shape).
          let next = 0;
          const slot = async (): Promise<void> => {
            while (next < size) {
              const i = next++;
              const finished = new Promise<void>((resolve) => waiting.set(`${prefix}${i}`, resolve));
              await queue.add("task", { input: inputOf(s, i) }, { ...JOB_OPTIONS, jobId: `${prefix}${i}` });
              await finished;
            }
          };
          await Promise.all(Array.from({ length: Math.min(s.cap, size) }, slot));
          return done;
        },
        async finish(outputs) {
          expectEqual(`remote-${s.body}/bullmq`, normalise(s, outputs as unknown[]), expected(s, size));
          return counted(size);
        },
      };
    };
  };
}

function echelon(hostsOverride?: number): VariantFactory {
  return async (size, options) => {
    const s = { ...settings(options), ...(hostsOverride !== undefined ? { hosts: hostsOverride } : {}) };
    const name = `bench-echelon-${process.pid}`;
    await startHosts({
      kind: "echelon",
      port: s.port,
      queue: name,
      body: s.body,
      concurrency: s.concurrency,
      count: s.hosts,
    });
    const client = new Redis({ host: "127.0.0.1", port: s.port });
    const spec: TaskSpec = {
      id: "remote",
      description: `${size} remote ${s.body} tasks`,
      pattern: "mapreduce",
      patternOptions: { reducer: s.body === "cpu" ? "concat" : "sum" },
      children: Array.from({ length: size }, (_, i) => ({
        id: `t${i}`,
        description: `task ${i}`,
        input: inputOf(s, i) as number,
        capabilities: ["bench"],
      })),
    };
    const want = expected(s, size);
    return async () => {
      const type = remoteAgent({
        capabilities: ["bench"],
        connection: { host: "127.0.0.1", port: s.port },
        queue: name,
      });
      await type.check(); // connections open before the timer
      const setup = await prepared(
        "echelon",
        { maxDepth: 1, maxAgentsPerLevel: [1, s.cap], agents: [type] },
        spec,
      );
      const counted = await startCounting(s, client);
      const iteration = planIteration(`remote-${s.body}/echelon`, setup, (output) => {
        const got = s.body === "cpu" ? [...(output as string[])].sort() : output;
        expectEqual(`remote-${s.body}/echelon`, got, want);
        return undefined;
      });
      return {
        run: iteration.run,
        async finish(output) {
          const figures = await iteration.finish(output);
          return { ...figures, ...(await counted(size)) };
        },
      };
    };
  };
}

/**
 * Remote agents over BullMQ on one local Redis: `size` tasks through worker processes
 * (`hosts`, each running `concurrency` jobs at once). `bullmq` is raw BullMQ doing the same jobs
 * (same job options) with raw `Worker`s of the same concurrency, all added at once and awaited
 * through `QueueEvents`; `bullmq-window` the same with at most `cap` jobs in flight (Echelon's shape); `echelon` is an orchestrator with `remoteAgent` (at most `cap` in
 * flight) and `startWorkerHost` processes; `echelon-1-host` the same on one host. Options:
 * `redisPort`, `body` (`noop`, `timer`, `cpu`), `hosts`, `concurrency`, `cap`, `timerMs`, `rounds`.
 * Every variant reports Redis commands executed per task (`INFO commandstats` before and after,
 * all clients, Lua included); with `monitor`, also round trips per task (client commands only).
 */
export const remoteWorkload: Workload = {
  name: "remote",
  variants: {
    bullmq: raw(false),
    "bullmq-window": raw(true),
    echelon: echelon(),
    "echelon-1-host": echelon(1),
  },
};

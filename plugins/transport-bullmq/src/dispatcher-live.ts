import { EchelonError } from "@echelon/core";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { describeRedis, reconnectDelay } from "./connection.js";
import { TransportErrorCode } from "./errors.js";
import { RedisNames } from "./keys.js";
import type { PendingJobs } from "./pending-jobs.js";
import type { DispatcherSettings } from "./remote-dispatcher.js";
import type { ErrorData } from "./wire.js";
import { within } from "./within.js";
import { followEvents } from "./event-reader.js";

/** The open connections of a dispatcher. */
export interface Live {
  readonly producer: Redis;
  readonly queue: Queue;
  readonly events: QueueEvents;
}

/** Where the events of the queue go. */
export interface LiveHooks {
  readonly pending: PendingJobs;
  /** A `duplicated` event for a waiting attempt: reconcile soon. */
  readonly duplicated: () => void;
  readonly failed: (error: Error) => void;
}

/**
 * Opens the `Queue` on a ready producer and a reader of the queue's events (see `followEvents`)
 * whose results settle the waiting attempts. The reader starts from Redis's clock at this moment (`TIME`), so no result
 * is missed while it connects.
 *
 * @param settings - the dispatcher's settings
 * @param producer - a ready producer connection
 * @param hooks - where events go
 * @returns the open connections
 */
export async function openLive(
  settings: DispatcherSettings,
  producer: Redis,
  hooks: LiveHooks,
): Promise<Live> {
  const { redis, queue: name, prefix } = settings;
  const queue = new Queue(name, { connection: producer, prefix });
  queue.on("error", hooks.failed);
  await queue.waitUntilReady();
  const [seconds, micros] = await producer.time();
  const from = `${Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)}-0`;
  // `QueueEvents` for its connection only: `followEvents` reads the stream, skipping the events
  // the dispatcher does not act on instead of emitting each one.
  const events = new QueueEvents(name, {
    connection: { ...redis, retryStrategy: reconnectDelay, connectionName: `echelon-events:${name}` },
    prefix,
    autorun: false,
  });
  events.on("error", hooks.failed);
  followEvents(events, from, 5_000, hooks).catch((error: unknown) =>
    hooks.failed(error instanceof Error ? error : new Error(String(error))),
  );
  return { producer, queue, events };
}

/**
 * Closes what {@link openLive} opened and the producer, bounded in time: BullMQ's graceful
 * close waits for ever while Redis is away, so with Redis away the clients are just disconnected.
 *
 * @param live - the open connections, if they got that far
 * @param producer - the producer, if one was made
 */
export async function closeLive(live: Live | null, producer: Redis | null): Promise<void> {
  if (live !== null) {
    const wait = live.producer.status === "ready" ? 2_000 : 0;
    if (!(await within(Promise.allSettled([live.events.close(), live.queue.close()]), wait))) {
      await within(live.events.getBackend().close(true), 1_000);
    }
  }
  if (producer !== null) {
    if (producer.status === "ready") await within(producer.quit(), 1_000);
    producer.disconnect();
  }
}

/**
 * The error of an attempt (or a check) that found Redis away for `connectTimeoutMs`.
 *
 * @param settings - the dispatcher's settings
 * @param what - what did not happen (`task "root/a" was not enqueued`), or `null` for a check
 * @param waitedMs - how long it waited
 * @returns `ECHELON_TRANSPORT_REDIS_UNAVAILABLE`, retryable
 */
export function redisUnavailable(
  settings: DispatcherSettings,
  what: string | null,
  waitedMs: number,
): EchelonError {
  const { redis, queue, connectTimeoutMs } = settings;
  return new EchelonError(
    TransportErrorCode.REDIS_UNAVAILABLE,
    `Redis at ${describeRedis(redis)} (queue "${queue}") did not answer within ${connectTimeoutMs} ms${what === null ? "" : `, so ${what}`}. Start Redis or fix the connection, then run again or resume the run.`,
    { details: { redis: describeRedis(redis), queue, waitedMs: Math.round(waitedMs), retryable: true } },
  );
}

/** What {@link beforeDeadline} resolves with when the deadline passed first. */
export const TIMED_OUT = Symbol("timed out");

/**
 * `promise`'s value, or {@link TIMED_OUT} when epoch-ms `deadline` passes first.
 *
 * @param promise - what to wait for
 * @param deadline - epoch ms
 * @returns the value or `TIMED_OUT`
 */
export function beforeDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.resolve(TIMED_OUT);
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, left, TIMED_OUT);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/**
 * True once the producer is ready (at once if it is), false when epoch-ms `deadline` passes first.
 *
 * @param live - the open connections
 * @param deadline - epoch ms
 * @returns whether the producer is ready
 */
export function readyBy(live: Live, deadline: number): Promise<boolean> {
  if (live.producer.status === "ready") return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, deadline - Date.now()), false);
    live.producer.once("ready", onReady);
    function onReady() {
      done(true);
    }
    function done(value: boolean) {
      clearTimeout(timer);
      live.producer.off("ready", onReady);
      resolve(value);
    }
  });
}

/**
 * The orchestrator's end of the cancel channel: stores the request under the job's cancel key
 * (with a TTL, for hosts that are disconnected now), publishes it on the queue's channel (hosts
 * running the job abort its signal at once), then removes the job if no host took it yet.
 *
 * @param live - the open connections
 * @param settings - queue, prefix, TTL
 * @param jobId - the job
 * @param reason - the abort reason, as it crosses
 */
export async function requestCancel(
  live: Live,
  settings: DispatcherSettings,
  jobId: string,
  reason: ErrorData,
): Promise<void> {
  const { prefix, queue, keepJobsForMs } = settings;
  const message = JSON.stringify({ jobId, reason });
  await live.producer
    .multi()
    .set(RedisNames.cancelKey(prefix, queue, jobId), message, "PX", keepJobsForMs)
    .publish(RedisNames.cancelChannel(prefix, queue), message)
    .exec();
  await live.queue.remove(jobId);
}

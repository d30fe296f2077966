import { EchelonError } from "@echelon/core";
import { Redis, type RedisOptions } from "ioredis";

/**
 * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, `rediss://` for TLS) or
 * ioredis options (`{ host, port, password, tls, … }`).
 */
export type RedisConnectionOptions = string | RedisOptions;

/**
 * How long one TCP connect may take before ioredis gives up and retries, ms (ioredis's default
 * is 10 s, which also keeps a closing process alive that long while Redis is away).
 */
const CONNECT_TIMEOUT_MS = 3_000;

/**
 * ioredis options for a connection URL or options object.
 *
 * @param connection - a URL or options
 * @returns ioredis options (a fresh object)
 * @throws EchelonError `ECHELON_CONFIG_INVALID` for a URL that is not `redis:` or `rediss:`
 */
export function toRedisOptions(connection: RedisConnectionOptions): RedisOptions {
  if (typeof connection !== "string") return { connectTimeout: CONNECT_TIMEOUT_MS, ...connection };
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw badUrl(connection);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw badUrl(connection);
  const db = url.pathname.replace(/^\//, "");
  return {
    connectTimeout: CONNECT_TIMEOUT_MS,
    host: url.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1",
    port: url.port === "" ? 6379 : Number(url.port),
    ...(url.username !== "" ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password !== "" ? { password: decodeURIComponent(url.password) } : {}),
    ...(db !== "" ? { db: Number(db) } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

function badUrl(connection: string): EchelonError {
  return new EchelonError(
    "ECHELON_CONFIG_INVALID",
    `"${redact(connection)}" is not a Redis URL. Use redis://host:port (rediss:// for TLS), or pass ioredis options.`,
    { details: { connection: redact(connection) } },
  );
}

/** A URL with its password replaced by `***`, for messages. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}

/**
 * The address of a connection as messages show it (`127.0.0.1:6379`), never its password.
 *
 * @param options - ioredis options
 * @returns `host:port[/db]`
 */
export function describeRedis(options: RedisOptions): string {
  if (options.path !== undefined) return options.path;
  const db = options.db !== undefined && options.db !== 0 ? `/${options.db}` : "";
  return `${options.host ?? "127.0.0.1"}:${options.port ?? 6379}${db}`;
}

/**
 * How a connection made by {@link openRedis} behaves while Redis is away: `fail-fast` fails
 * commands at once (an enqueue must never wait silently), `patient` queues them until it is
 * back (subscriptions, host bookkeeping).
 */
export type ConnectionRole = "fail-fast" | "patient";

/**
 * A new ioredis client (see {@link ConnectionRole}). It reconnects for ever with a capped
 * backoff (100 ms, doubling, at most 1 s), resubscribes after a reconnect, and reports
 * connection errors to `onError` instead of throwing them.
 *
 * @param options - ioredis options
 * @param role - what the client is for
 * @param onError - told about connection errors (throttle on your side)
 * @returns the client (connecting)
 */
export function openRedis(
  options: RedisOptions,
  role: ConnectionRole,
  onError: (error: Error) => void,
): Redis {
  const client = new Redis({
    retryStrategy: reconnectDelay,
    ...options,
    maxRetriesPerRequest: null,
    enableOfflineQueue: role === "patient",
    connectionName: options.connectionName ?? `echelon-${role}`,
  });
  client.on("error", onError);
  return client;
}

/**
 * Delay before reconnect attempt `times` (1, 2, …): 100 ms doubling, at most 1 s.
 *
 * @param times - the attempt
 * @returns milliseconds
 */
export function reconnectDelay(times: number): number {
  return Math.min(1000, 50 * 2 ** Math.min(times, 5));
}

/**
 * Resolves once `client` is ready; rejects after `timeoutMs` or when `signal` aborts.
 *
 * @param client - an ioredis client
 * @param timeoutMs - the longest wait
 * @param signal - cancels the wait
 * @returns true when ready, false when the time ran out
 */
export function whenReady(client: Redis, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const done = (value: boolean | Error) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      signal?.removeEventListener("abort", onAbort);
      if (value instanceof Error) reject(value);
      else resolve(value);
    };
    const onReady = () => done(true);
    const onAbort = () => done(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
    const timer = setTimeout(() => done(false), timeoutMs);
    client.on("ready", onReady);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

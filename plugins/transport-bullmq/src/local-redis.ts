import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { EchelonError } from "@echelon/core";
import { TransportErrorCode } from "./errors.js";

/** Options of {@link startLocalRedis}. */
export interface LocalRedisOptions {
  /** Port on 127.0.0.1. Default: a free one. */
  readonly port?: number;
  /** The executable. Default `redis-server` (on PATH). */
  readonly executable?: string;
  /** Longest wait for "Ready to accept connections", ms. Default 10,000. */
  readonly startTimeoutMs?: number;
}

/** A `redis-server` started by {@link startLocalRedis}. */
export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** Process id of the server. */
  readonly pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bound and released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

function launch(executable: string, port: number, timeoutMs: number): Promise<LocalRedis> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(executable, args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const fail = (error: EchelonError) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new EchelonError(
            TransportErrorCode.REDIS_START_FAILED,
            `redis-server on port ${port} did not report ready within ${timeoutMs} ms. Its output: ${output.slice(-500) || "none"}`,
            { details: { port, output: output.slice(-2000) } },
          ),
        ),
      timeoutMs,
    );
    child.once("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT";
      fail(
        new EchelonError(
          missing ? TransportErrorCode.REDIS_NOT_INSTALLED : TransportErrorCode.REDIS_START_FAILED,
          missing
            ? `"${executable}" was not found. Install Redis (Debian: apt-get install redis-server) or pass a Redis URL instead of starting one.`
            : `Could not start ${executable}: ${error.message}`,
          { cause: error, details: { executable } },
        ),
      );
    });
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (!output.includes("Ready to accept connections")) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      child.stderr?.resume();
      let stopping: Promise<void> | null = null;
      resolve({
        url: `redis://127.0.0.1:${port}`,
        port,
        pid: child.pid!,
        stop() {
          stopping ??= (async () => {
            const gone = exited(child);
            child.kill("SIGTERM");
            const timeout = setTimeout(() => child.kill("SIGKILL"), 5_000);
            await gone;
            clearTimeout(timeout);
          })();
          return stopping;
        },
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code, signal) => {
      if (output.includes("Ready to accept connections")) return;
      fail(
        new EchelonError(
          TransportErrorCode.REDIS_START_FAILED,
          `redis-server on port ${port} exited (${signal ?? `code ${code}`}) before it was ready: ${output.slice(-500) || "no output"}`,
          { details: { port, output: output.slice(-2000) } },
        ),
      );
    });
  });
}

/**
 * Starts a throw-away `redis-server` on 127.0.0.1 without persistence (`--save ""
 * --appendonly no`), for local runs, examples and tests. Not for production: see
 * `docs/deployment.md` for the settings a shared Redis needs. The server is a child of this
 * process; stop it with `stop()` (a process killed with SIGKILL leaves it running).
 *
 * @param options - port, executable, start timeout
 * @returns the running server
 * @throws EchelonError `ECHELON_TRANSPORT_REDIS_NOT_INSTALLED`, `ECHELON_TRANSPORT_REDIS_START_FAILED`
 * @example
 * ```ts
 * import { startLocalRedis } from "@echelon/transport-bullmq";
 *
 * const redis = await startLocalRedis();
 * console.log(redis.url); // redis://127.0.0.1:<port>
 * await redis.stop();
 * ```
 */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const executable = options.executable ?? "redis-server";
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(executable, port, timeoutMs);
    } catch (error) {
      // A free port taken between the probe and the start: try another one.
      const taken =
        error instanceof EchelonError && /Address already in use/i.test(String(error.details.output));
      if (!taken || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

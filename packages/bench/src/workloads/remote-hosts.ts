import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { EchelonError } from "@echelon/core";
import type { Redis } from "ioredis";
import { BenchErrorCode } from "../errors.js";
import type { RemoteBody } from "./remote-bodies.js";

const HOST_ENTRY = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "child",
  "remote-host.js",
);

/** What the worker processes of a remote variant are. */
export interface HostsRequest {
  readonly kind: "echelon" | "bullmq";
  readonly port: number;
  readonly queue: string;
  readonly body: RemoteBody;
  readonly concurrency: number;
  readonly count: number;
}

function startOne(request: HostsRequest): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HOST_ENTRY, JSON.stringify(request)], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready\n")) resolve(child);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(
        new EchelonError(
          BenchErrorCode.CHILD_FAILED,
          `A ${request.kind} worker process exited (${code}) before it was ready: ${output.slice(-1000)}`,
        ),
      ),
    );
  });
}

/**
 * Starts the worker processes of a remote variant (untimed, once per bench child) and stops
 * them when this process exits (they also exit when their IPC channel to it closes).
 *
 * @param request - kind, Redis port, queue, body, concurrency and how many
 * @returns the processes, all consuming
 */
export async function startHosts(request: HostsRequest): Promise<ChildProcess[]> {
  const hosts = await Promise.all(Array.from({ length: request.count }, () => startOne(request)));
  process.once("exit", () => {
    for (const h of hosts) h.kill("SIGKILL");
  });
  return hosts;
}

/**
 * Total calls per Redis command (`INFO commandstats`), without the `INFO` calls themselves.
 * These include the commands Lua scripts run inside Redis (BullMQ's work is mostly scripts).
 */
export async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const text = await client.info("commandstats");
  const calls = new Map<string, number>();
  for (const m of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (m[1] !== "info") calls.set(m[1]!, Number(m[2]));
  }
  return calls;
}

/**
 * Redis commands per task between two readings (of {@link commandCalls}, or empty and a
 * {@link countRoundTrips} count): the total and the three largest, for the report
 * (`evalsha 2.0, xread 0.3, …`), as `<label>PerTask` and `<label>Top`. Every client counts: the
 * producer, the hosts' blocking fetches, lock renewals, stalled checks and event readers.
 *
 * @param before - calls before the run
 * @param after - calls after it
 * @param tasks - tasks in the run
 * @returns figures for the report
 */
export function commandsPerTask(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
  tasks: number,
  label = "redisCommands",
): Record<string, number | string> {
  const delta = [...after.entries()]
    .map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const total = delta.reduce((n, [, d]) => n + d, 0);
  const per = (n: number, digits: number) => Math.round((n / tasks) * 10 ** digits) / 10 ** digits;
  return {
    [`${label}PerTask`]: per(total, 2),
    // Whole numbers, so runs agree and the report shows one line.
    [`${label}Top`]: delta
      .slice(0, 3)
      .map(([name, n]) => `${name} ${per(n, 0)}`)
      .join(", "),
  };
}

/** Counts what clients send to Redis (not what Lua scripts run inside it) while it runs. */
export interface RoundTripCounter {
  /** Stops counting; calls per command name sent by clients. */
  stop(): Promise<Map<string, number>>;
}

/**
 * Watches Redis with `MONITOR` on a raw side connection and counts the commands clients send —
 * round trips — leaving out those Lua scripts run inside Redis (source `lua`). `MONITOR` slows
 * Redis down, so the case using it reports counts, not times.
 *
 * @param port - Redis on 127.0.0.1
 * @returns the counter, once MONITOR is on
 */
export async function countRoundTrips(port: number): Promise<RoundTripCounter> {
  const socket = connect(port, "127.0.0.1");
  const calls = new Map<string, number>();
  let buffer = "";
  let on: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    on = resolve;
  });
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    let nl = buffer.indexOf("\r\n");
    while (nl >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      nl = buffer.indexOf("\r\n");
      if (line === "+OK") on();
      const m = /^\+[\d.]+ \[\d+ ([^\]]+)\] "([^"]+)"/.exec(line);
      if (m === null || m[1] === "lua") continue;
      const name = m[2]!.toLowerCase();
      calls.set(name, (calls.get(name) ?? 0) + 1);
    }
  });
  socket.write("MONITOR\r\n");
  await started;
  return {
    async stop() {
      // Let the last commands of the run arrive before counting stops.
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      return calls;
    },
  };
}

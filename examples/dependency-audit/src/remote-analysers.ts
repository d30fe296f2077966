import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  type LocalRedis,
  type RemoteAgentType,
  remoteAgent,
  startLocalRedis,
} from "@echelon/transport-bullmq";
import { EchelonError } from "echelon";
import { AuditErrorCode } from "./errors.js";

/** The built worker-host entry (from `src/` under vitest too). */
const HOST_ENTRY = fileURLToPath(new URL("../dist/analyse-host.js", import.meta.url));

/** Package analysers running in worker-host processes over Redis. */
export interface RemoteAnalysers {
  /** The orchestrator's side: the package analyser as a remote agent type. */
  readonly agentType: RemoteAgentType;
  /** The Redis they meet at (started here unless one was given). */
  readonly redisUrl: string;
  /** Stops the hosts, the agent type's connections and a Redis started here. */
  close(): Promise<void>;
}

/** Spawns a host (listed in `children` at once, so it is stopped whatever happens) and waits until it is ready. */
function startHost(url: string, queue: string, children: ChildProcess[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, [HOST_ENTRY, url, queue], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready\n")) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.off("exit", onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) =>
      reject(
        new EchelonError(
          AuditErrorCode.INVALID_OPTIONS,
          `A worker host exited (${code}) before it was ready: ${output.trim().slice(-500) || "no output"}. Check --redis.`,
          { details: { code } },
        ),
      );
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", onExit);
  });
}

function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `hosts` worker-host processes serving the package analyser from a queue of their own
 * on `redis` — or on a throw-away local `redis-server` (no persistence) when no URL is given —
 * and returns the matching remote agent type, at most one job per host in flight.
 *
 * @param hosts - how many worker-host processes
 * @param redis - a Redis URL, or `undefined` to start a local Redis
 * @returns the agent type and a `close()` for everything started
 * @throws EchelonError `ECHELON_TRANSPORT_REDIS_NOT_INSTALLED` (no URL and no redis-server), `ECHELON_AUDIT_OPTIONS_INVALID` (a host did not start)
 */
export async function startRemoteAnalysers(
  hosts: number,
  redis: string | undefined,
): Promise<RemoteAnalysers> {
  const local: LocalRedis | null = redis === undefined ? await startLocalRedis() : null;
  const url = redis ?? local!.url;
  const queue = `echelon-audit-${process.pid}-${Date.now().toString(36)}`;
  const children: ChildProcess[] = [];
  const agentType = remoteAgent({
    name: "package-analyser",
    levels: ["tertiary"],
    capabilities: ["audit:package"],
    connection: url,
    queue,
    maxInstances: hosts,
    keepJobsForMs: 60_000,
  });
  const close = async () => {
    await Promise.all(children.map(stopHost));
    await agentType.close();
    await local?.stop();
  };
  try {
    await Promise.all(Array.from({ length: hosts }, () => startHost(url, queue, children)));
    await agentType.check();
  } catch (error) {
    await close();
    throw error;
  }
  return { agentType, redisUrl: url, close };
}

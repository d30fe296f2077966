import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AgentContext, EchelonEvent, EventStore, Logger, TaskSpec } from "@echelon/core";
import { silentLogger } from "@echelon/core";
import { type LocalRedis, startLocalRedis } from "../src/index.js";
import { encodeJobData, type JobFacts, type RemoteJobData } from "../src/job-data.js";

/** A fork-join of `n` leaves needing capability `work`, leaf `i` with input `i`. */
export function leaves(n: number): TaskSpec {
  return {
    description: "leaves",
    pattern: "fork-join",
    children: Array.from({ length: n }, (_, i) => ({
      id: `leaf${i}`,
      description: `leaf ${i}`,
      input: i,
      capabilities: ["work"],
    })),
  };
}

/** A fresh queue name per test, so tests sharing a Redis never see each other's jobs. */
export function queueName(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Starts a throw-away redis-server (no persistence) on a free port. */
export function startRedis(port?: number): Promise<LocalRedis> {
  return startLocalRedis(port === undefined ? {} : { port });
}

/** SIGKILLs a redis-server (its data is lost: it never persisted any) and waits until it is gone. */
export async function killRedis(redis: LocalRedis): Promise<void> {
  process.kill(redis.pid, "SIGKILL");
  await redis.stop();
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Like {@link until}, for an asynchronous check. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A logger that keeps what it is told (to assert on warnings). */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const keep = (level: string) => (message: string, data?: Readonly<Record<string, unknown>>) => {
    lines.push(`${level} ${message}${data === undefined ? "" : ` ${JSON.stringify(data)}`}`);
  };
  return { lines, debug: () => {}, info: keep("info"), warn: keep("warn"), error: keep("error") };
}

/**
 * A journal in a JSON-lines file: durable across processes, so a test can SIGKILL an
 * orchestrator process and resume its run in another.
 */
export class FileEventStore implements EventStore {
  readonly name = "file";
  constructor(readonly path: string) {}
  append(event: EchelonEvent): void {
    appendFileSync(this.path, `${JSON.stringify(event)}\n`);
  }
  read(orchestrationId: string): readonly EchelonEvent[] {
    return this.all().filter((e) => e.orchestrationId === orchestrationId);
  }
  list(): readonly string[] {
    return [...new Set(this.all().map((e) => e.orchestrationId))];
  }
  private all(): EchelonEvent[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as EchelonEvent);
  }
}

/** A child process printing one JSON object per line on stdout. */
export interface Child {
  readonly process: ChildProcess;
  readonly lines: Array<Record<string, unknown>>;
  readonly stderr: () => string;
  /** Resolves with the first line matching. */
  line(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/** Runs `test/fixtures/<file>` with `config` as its JSON argument. */
export function spawnFixture(file: string, config: Record<string, unknown>): Child {
  const child = spawn(
    process.execPath,
    [resolve(import.meta.dirname, "fixtures", file), JSON.stringify(config)],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines: Array<Record<string, unknown>> = [];
  let err = "";
  let buffer = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    buffer += d;
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (text.startsWith("{")) lines.push(JSON.parse(text) as Record<string, unknown>);
      nl = buffer.indexOf("\n");
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    process: child,
    lines,
    stderr: () => err,
    async line(match, timeoutMs = 15_000) {
      await until(() => lines.some(match) || child.exitCode !== null, `a line from ${file}`, timeoutMs);
      const found = lines.find(match);
      if (found === undefined) throw new Error(`${file} exited (${child.exitCode}) first: ${err}`);
      return found;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An agent context, the attempt's facts and its job data (version 2) for tests of the job bookkeeping (no Redis, no agent). */
export function jobFixture(): { ctx: AgentContext; facts: JobFacts; data: RemoteJobData } {
  const facts: JobFacts = {
    work: {
      taskId: "root",
      nodePath: "root",
      description: "the root",
      input: null,
      capabilities: [],
      priority: 0,
      metadata: {},
    },
    idempotencyKey: "r/root",
    attempt: 1,
    orchestrationId: "r",
    level: "primary",
    levelIndex: 0,
    offered: ["x"],
    token: "t",
  };
  return {
    facts,
    ctx: {
      signal: new AbortController().signal,
      attempt: 1,
      idempotencyKey: "r/root",
      orchestrationId: "r",
      level: "primary",
      logger: silentLogger,
      report: () => {},
    },
    data: encodeJobData(facts, 2),
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type EventStore, type functionAgent, HierarchicalOrchestrator, type TaskSpec } from "@echelon/core";
import { SqliteEventStore } from "@echelon/store-sqlite";
import { type Dashboard, startDashboard } from "../src/index.js";
import { testPatterns } from "./support.js";

/** What one test opened; {@link closeAll} closes it in reverse. */
const opened: Array<() => Promise<void> | void> = [];

/** Closes dashboards, orchestrators, stores, children and temp folders the test opened. */
export async function closeAll(): Promise<void> {
  for (const close of opened.splice(0).reverse()) await close();
}

/** A fresh SQLite journal file in a temp folder (removed by {@link closeAll}). */
export function tempJournal(): string {
  const dir = mkdtempSync(join(tmpdir(), "echelon-dashboard-"));
  opened.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "journal.db");
}

/** A SqliteEventStore on `path`, closed by {@link closeAll}. */
export function sqliteStore(path: string): SqliteEventStore {
  const store = new SqliteEventStore({ path, retention: false });
  opened.push(() => store.close());
  return store;
}

/** An orchestrator journaling into `store` (with its own `SqliteEventStore` on a file, as another process would). */
export function journaledOrchestrator(
  agents: ReturnType<typeof functionAgent>[],
  store: EventStore | null,
): HierarchicalOrchestrator {
  const orchestrator = new HierarchicalOrchestrator({
    agents,
    plugins: [testPatterns()],
    eventStore: store,
    cancelPollMs: 20,
  });
  opened.push(() => orchestrator.shutdown());
  return orchestrator;
}

/** Starts a dashboard closed by {@link closeAll}. */
export async function dashboard(options: Parameters<typeof startDashboard>[0]): Promise<Dashboard> {
  const d = await startDashboard(options);
  opened.push(() => d.close());
  return d;
}

/** GET or POST a dashboard route; the JSON body and status. */
export async function api(
  d: Dashboard,
  route: string,
  method: "GET" | "POST" = "GET",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(new URL(route, d.url), {
    method,
    headers: method === "POST" ? { "x-echelon-dashboard": "1" } : {},
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** One line of `/api/state`. */
export interface Line {
  readonly id: string;
  readonly state: string;
  readonly source: "live" | "journal";
  readonly progress: number | null;
  readonly owner: string | null;
  readonly orphaned: boolean;
  readonly cancelRequested: boolean;
}

/** The lines `/api/state` lists, in its order. */
export async function lines(d: Dashboard): Promise<Line[]> {
  const { status, body } = await api(d, "/api/state");
  if (status !== 200) throw new Error(`/api/state answered ${status}: ${JSON.stringify(body)}`);
  return body.orchestrations as Line[];
}

/** Resolves with `probe()`'s value once it is not `undefined`, polling every 20 ms for up to `ms`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A fork of `n` leaves; each leaf's input is its index (an agent may fail on one). */
export function fork(n: number): TaskSpec {
  return {
    id: "root",
    description: "fork",
    pattern: "test-parallel",
    children: Array.from({ length: n }, (_, i) => ({ id: `leaf${i}`, description: `leaf ${i}`, input: i })),
  };
}

/** Waits a few milliseconds, so runs started one after another have distinct start times. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

/** Another process (`fixtures/journal-owner.mjs`) running run `id` on the journal at `path`. */
export interface OwnerProcess {
  readonly child: ChildProcess;
  /** Resolves when its task runs (its pid). */
  readonly running: Promise<number>;
  /** Resolves with the run's final state when the process ends, `null` when it was killed. */
  readonly finished: Promise<{ state: string; code: string | null } | null>;
}

/** Starts {@link OwnerProcess}; killed by {@link closeAll} if still alive. */
export function ownerProcess(path: string, id: string): OwnerProcess {
  const script = fileURLToPath(new URL("./fixtures/journal-owner.mjs", import.meta.url));
  const child = spawn(process.execPath, [script, path, id], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (c: Buffer) => {
    stderr += c.toString();
  });
  opened.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  const messages: Record<string, unknown>[] = [];
  let onMessage = (): void => {};
  createInterface({ input: child.stdout! }).on("line", (line) => {
    messages.push(JSON.parse(line) as Record<string, unknown>);
    onMessage();
  });
  const running = new Promise<number>((resolve, reject) => {
    onMessage = () => {
      const m = messages.find((x) => "running" in x);
      if (m !== undefined) resolve(m.pid as number);
    };
    child.once("exit", () => reject(new Error(`owner process ended before its task ran: ${stderr}`)));
  });
  running.catch(() => {});
  const finished = new Promise<{ state: string; code: string | null } | null>((resolve) => {
    child.once("exit", (code) => {
      const last = messages.find((x) => "state" in x) as { state: string; code: string | null } | undefined;
      resolve(code === 0 && last !== undefined ? last : null);
    });
  });
  return { child, running, finished };
}

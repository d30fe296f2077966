import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SqliteEventStore } from "@echelon/store-sqlite";
import type { EchelonEvent } from "echelon";
import type { ChildConfig, ChildOutput } from "./child-config.js";
import { readLedger } from "./effects-ledger.js";
import type { KillNote, KillPoint } from "./kill-switch-store.js";
import type { PlanName } from "./plans.js";
import { type ChildExit, startChild } from "./run-child.js";

/** One setup of the harness: a plan and how its processes journal and are cancelled. */
export interface CaseSpec {
  readonly plan: PlanName;
  /** Leaves of the `map-reduce` plan. */
  readonly leaves?: number;
  /** Events per transaction; absent: the store's default batching. */
  readonly batchSize?: number;
  /**
   * `remote-cancel` plan: the parent requests the cancel through the journal once step `wait`
   * runs. `at-request`: the parent SIGKILLs the child right after writing the request, before
   * the child's poll can see it.
   */
  readonly remoteCancel?: "poll" | "at-request";
  /** False only to prove the checks catch an agent that ignores idempotency keys. */
  readonly honourKeys?: boolean;
}

/** What the files of one run hold after its processes ended. */
export interface RunRecord {
  /** How the first process ended (SIGKILL when the kill point was reached). */
  readonly first: ChildExit;
  /** The last process's output (`null` when it wrote none). */
  readonly output: ChildOutput | null;
  /** The final journal, read by the parent. */
  readonly journal: readonly EchelonEvent[];
  /** Applied effect keys, in the order applied. */
  readonly effects: readonly string[];
  /** `<phase> <key>` per attempt. */
  readonly attempts: readonly string[];
}

/** A run that was killed and resumed. */
export interface CrashRecord extends RunRecord {
  readonly kill: KillPoint;
  /** What the killed process noted just before it died (`null` if it was not killed by its switch). */
  readonly note: KillNote | null;
  /** The journal as the crash left it (read by the resuming process before it resumed). */
  readonly before: readonly EchelonEvent[];
  /** How the resuming process ended. */
  readonly resumed: ChildExit;
}

/** The orchestration id every run of the harness uses. */
export const RUN_ID = "crash-run";

interface Files {
  readonly db: string;
  readonly effects: string;
  readonly attempts: string;
  readonly out: string;
  readonly note: string;
  readonly before: string;
  readonly waiting: string;
}

function filesIn(dir: string): Files {
  mkdirSync(dir, { recursive: true });
  return {
    db: join(dir, "journal.db"),
    effects: join(dir, "effects.log"),
    attempts: join(dir, "attempts.log"),
    out: join(dir, "out.json"),
    note: join(dir, "kill-note.json"),
    before: join(dir, "journal-before.json"),
    waiting: join(dir, "waiting"),
  };
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

/** Every event of the run, read by this (the parent) process. */
export async function readJournal(db: string): Promise<EchelonEvent[]> {
  const store = new SqliteEventStore({ path: db, retention: false });
  try {
    return [...store.read(RUN_ID)];
  } finally {
    await store.close();
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function baseConfig(spec: CaseSpec, files: Files): Omit<ChildConfig, "phase"> {
  return {
    plan: spec.plan,
    id: RUN_ID,
    db: files.db,
    effects: files.effects,
    attempts: files.attempts,
    out: files.out,
    waiting: files.waiting,
    ...(spec.leaves !== undefined ? { leaves: spec.leaves } : {}),
    ...(spec.batchSize !== undefined ? { batchSize: spec.batchSize } : {}),
    ...(spec.honourKeys !== undefined ? { honourKeys: spec.honourKeys } : {}),
    // Polled fast, except when the parent must kill before the poll sees the request.
    cancelPollMs: spec.remoteCancel === "at-request" ? 1000 : 50,
  };
}

/** Runs the first process; for a remote cancel, requests the cancel while step `wait` runs. */
async function firstProcess(spec: CaseSpec, files: Files, kill: KillPoint | null): Promise<ChildExit> {
  const child = startChild({
    ...baseConfig(spec, files),
    phase: "run",
    ...(kill !== null ? { kill, killNote: files.note } : {}),
  });
  if (spec.remoteCancel === undefined) return child.exited;
  let ended = false;
  void child.exited.then(() => {
    ended = true;
  });
  await until(() => existsSync(files.waiting) || ended, "step wait runs");
  if (!ended) {
    const store = new SqliteEventStore({ path: files.db, retention: false });
    try {
      const asked = await store.requestCancel(RUN_ID);
      if (asked !== "requested") throw new Error(`requestCancel answered ${asked}`);
      if (spec.remoteCancel === "at-request") child.process.kill("SIGKILL");
    } finally {
      await store.close();
    }
  }
  return child.exited;
}

function record(files: Files, first: ChildExit, journal: EchelonEvent[]): RunRecord {
  return {
    first,
    output: readJson<ChildOutput>(files.out),
    journal,
    effects: readLedger(files.effects),
    attempts: readLedger(files.attempts),
  };
}

/**
 * Runs a plan once without a kill, in a child process, in `dir`.
 *
 * @returns its output, journal and effects: what every crashed run must end with
 */
export async function faultFreeRun(dir: string, spec: CaseSpec): Promise<RunRecord> {
  const files = filesIn(dir);
  // A parent kill at the cancel request has, fault-free, the request seen by the run's poll.
  const own: CaseSpec = spec.remoteCancel === "at-request" ? { ...spec, remoteCancel: "poll" } : spec;
  const first = await firstProcess(own, files, null);
  return record(files, first, await readJournal(files.db));
}

/**
 * Runs a plan in a child process that SIGKILLs itself at `kill` (or, for a remote cancel
 * `at-request`, is killed by the parent), then resumes it in a fresh process, in `dir`.
 *
 * @returns what both processes left: the journal at the crash, the final journal, the effects
 */
export async function crashAndResume(dir: string, spec: CaseSpec, kill: KillPoint): Promise<CrashRecord> {
  const files = filesIn(dir);
  const first = await firstProcess(spec, files, kill.unit === "parent" ? null : kill);
  const resumed = await startChild({
    ...baseConfig(spec, files),
    phase: "resume",
    journalBefore: files.before,
  }).exited;
  return {
    ...record(files, first, await readJournal(files.db)),
    kill,
    note: readJson<KillNote>(files.note),
    before: readJson<EchelonEvent[]>(files.before) ?? [],
    resumed,
  };
}

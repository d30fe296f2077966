import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";
import { CoreErrorCode, EchelonError } from "@echelon/core";
import { abortError, assertJsonSerializable } from "@echelon/core/plugin";
import { WorkerErrorCode } from "./errors.js";
import { crashError, taskFailure, unreadableError } from "./failures.js";
import type { FromWorker, ToWorker, WorkerBootData } from "./protocol.js";

/** One task for the pool. */
export interface PoolTask {
  readonly taskId: string;
  readonly work: unknown;
  readonly attempt: number;
  readonly idempotencyKey: string;
  readonly orchestrationId: string;
  readonly level: string;
  readonly signal: AbortSignal;
  report(progress: number, message?: string): void;
}

/** Settings of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  readonly boot: WorkerBootData;
  readonly size: number;
  readonly abortGraceMs: number;
  readonly resourceLimits?: ResourceLimits;
}

interface Job {
  readonly id: number;
  readonly task: PoolTask;
  settled: boolean;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  detach(): void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | null;
  graceTimer: NodeJS.Timeout | null;
  lastError: unknown;
  /** Being terminated: takes no new task, and its exit fails only the task it still holds. */
  retiring: boolean;
}

/** The compiled bootstrap: next to this file in dist, or in dist when running from source. */
function bootstrapUrl(): URL {
  const sibling = new URL("./worker-bootstrap.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL("../dist/worker-bootstrap.js", import.meta.url);
}

/**
 * A fixed-size pool of worker threads running one task each. Threads start lazily; a thread
 * that crashes, runs out of memory or ignores an abort past the grace period is discarded
 * and a fresh one is started for the next task.
 */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private disposed = false;
  private readonly url = bootstrapUrl();

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Runs one task on a free thread, queueing while all threads are busy. */
  run(task: PoolTask): Promise<unknown> {
    if (this.disposed) return Promise.reject(this.disposedError(task.taskId));
    if (task.signal.aborted) return Promise.reject(abortError(task.signal));
    return new Promise<unknown>((resolve, reject) => {
      const onAbort = () => this.abort(job);
      const job: Job = {
        id: this.nextId++,
        task,
        settled: false,
        resolve,
        reject,
        detach: () => task.signal.removeEventListener("abort", onAbort),
      };
      task.signal.addEventListener("abort", onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Fails queued and running tasks with `ECHELON_WORKER_DISPOSED` and terminates every thread. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const job of this.queue.splice(0)) this.settle(job, this.disposedError(job.task.taskId));
    const exits: Promise<unknown>[] = [];
    for (const slot of this.slots) {
      if (slot.job) this.settle(slot.job, this.disposedError(slot.job.task.taskId));
      if (slot.graceTimer) clearTimeout(slot.graceTimer);
      exits.push(slot.worker.terminate().catch(() => undefined));
    }
    await Promise.all(exits);
  }

  private disposedError(taskId: string): EchelonError {
    return new EchelonError(
      WorkerErrorCode.DISPOSED,
      `Task "${taskId}" did not finish: its worker agent was disposed (orchestrator shut down or agent retired).`,
    );
  }

  private settle(job: Job, error: unknown, value?: unknown): void {
    if (job.settled) return;
    job.settled = true;
    job.detach();
    if (error === undefined) job.resolve(value);
    else job.reject(error);
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      let slot: Slot | undefined;
      for (const candidate of this.slots) {
        if (candidate.job === null && !candidate.retiring) {
          slot = candidate;
          break;
        }
      }
      if (slot === undefined) {
        if (this.slots.size >= this.options.size) return;
        slot = this.startThread();
      }
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      const { task } = job;
      const message: ToWorker = {
        t: "run",
        id: job.id,
        work: task.work,
        attempt: task.attempt,
        idempotencyKey: task.idempotencyKey,
        orchestrationId: task.orchestrationId,
        level: task.level,
      };
      try {
        slot.worker.postMessage(message);
      } catch (error) {
        slot.job = null;
        slot.worker.unref();
        this.settle(
          job,
          new EchelonError(
            CoreErrorCode.RESULT_NOT_SERIALIZABLE,
            `The work of task "${task.taskId}" cannot be sent to a worker thread: ${(error as Error).message}. Pass plain JSON input.`,
            { cause: error },
          ),
        );
      }
    }
  }

  private startThread(): Slot {
    const worker = new Worker(this.url, {
      workerData: this.options.boot,
      ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}),
    });
    const slot: Slot = { worker, job: null, graceTimer: null, lastError: undefined, retiring: false };
    worker.on("message", (message: FromWorker) => this.onMessage(slot, message));
    worker.on("messageerror", (error) => this.onUnreadable(slot, error));
    worker.on("error", (error) => {
      slot.lastError = error;
    });
    worker.on("exit", (exitCode) => this.onExit(slot, exitCode));
    this.slots.add(slot);
    return slot;
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.settle(job, abortError(job.task.signal));
    if (queued >= 0) return;
    for (const slot of this.slots) {
      if (slot.job !== job) continue;
      const reason = abortError(job.task.signal).message;
      slot.worker.postMessage({ t: "abort", id: job.id, reason } satisfies ToWorker);
      // The work may ignore its signal: after the grace period the thread is replaced.
      slot.graceTimer = setTimeout(() => {
        slot.graceTimer = null;
        if (slot.job === job) this.retire(slot);
      }, this.options.abortGraceMs);
      slot.graceTimer.unref();
    }
  }

  private release(slot: Slot): void {
    if (slot.graceTimer) clearTimeout(slot.graceTimer);
    slot.graceTimer = null;
    slot.job = null;
    slot.worker.unref();
    this.pump();
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    const job = slot.job;
    if (job === null || job.id !== message.id) return;
    if (message.t === "progress") {
      if (!job.settled) job.task.report(message.progress, message.message);
      return;
    }
    this.release(slot);
    if (job.settled) return; // late answer after abort: discarded
    if (message.t === "result") {
      try {
        assertJsonSerializable(message.value, `result of worker task "${job.task.taskId}"`);
        this.settle(job, undefined, message.value);
      } catch (error) {
        this.settle(job, error);
      }
      return;
    }
    this.settle(job, taskFailure(job.task.taskId, message.kind, message.error, job.task.signal));
  }

  /**
   * A message from the thread could not be decoded: which one is unknown, so the task it
   * belongs to fails (its result, as a rule) and the thread, whose state is unknown too, is
   * replaced. Its job stays on the slot until the exit so no other task lands on it.
   */
  private onUnreadable(slot: Slot, error: unknown): void {
    const job = slot.job;
    if (job) this.settle(job, unreadableError(job.task.taskId, error));
    this.retire(slot);
  }

  /** Terminates a thread; the pool starts a fresh one for the next task. */
  private retire(slot: Slot): void {
    slot.retiring = true;
    void slot.worker.terminate().catch(() => undefined);
  }

  private onExit(slot: Slot, exitCode: number): void {
    this.slots.delete(slot);
    if (slot.graceTimer) clearTimeout(slot.graceTimer);
    const job = slot.job;
    slot.job = null;
    if (job && !job.settled) {
      this.settle(job, crashError(job.task.taskId, slot.lastError, exitCode, this.options.resourceLimits));
    }
    this.pump();
  }
}
